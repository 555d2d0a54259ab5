import { describe, expect, it } from 'vitest';
import { fromWorkspacePath, isOutsideWorkspace, toWorkspacePath } from './workspace-path.js';

describe('workspace paths', () => {
  it('stores paths inside the workspace relative to it, others absolute, and reads both', () => {
    expect(toWorkspacePath('/ws', '/ws/models/s/3')).toBe('models/s/3');
    expect(toWorkspacePath('/ws/', 'models/s/3')).toBe('models/s/3');
    expect(toWorkspacePath('/ws', '/ws/models/../models/s/3')).toBe('models/s/3');
    expect(toWorkspacePath('/ws', '/other/models/s/3')).toBe('/other/models/s/3');
    expect(toWorkspacePath('/ws', '../escape')).toBe('/escape');
    expect(toWorkspacePath('/ws', '/ws2/models')).toBe('/ws2/models');
    expect(fromWorkspacePath('/ws', 'models/s/3')).toBe('/ws/models/s/3');
    expect(fromWorkspacePath('/ws', '/old/ws/models/s/3')).toBe('/old/ws/models/s/3');
    expect(isOutsideWorkspace('/ws', '/old/ws/models/s/3')).toBe(true);
    expect(isOutsideWorkspace('/ws', 'models/s/3')).toBe(false);
    expect(isOutsideWorkspace('/ws', '/ws/models/s/3')).toBe(false);
  });
});
