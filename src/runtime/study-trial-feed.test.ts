// The trials the services read from the study storage, refreshed by the frame loop's pre-frame hook: on SQLite,
// on PostgreSQL with bundles published elsewhere, and through an outage of the server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePpoBundle } from '../../test/bundle-fixtures.js';
import { marketFromCloses, randomWalkCloses } from '../../test/market-fixtures.js';
import {
  createTestDatabase,
  postgresAvailable,
  postgresBinDir,
  startThrowawayCluster,
} from '../../test/postgres-service.js';
import { serviceAvailable } from '../../test/require-service.js';
import type { ServiceLogger } from '../core/logger.js';
import type { FrameEvent } from '../feeds/index.js';
import { ARTIFACT_ATTR, openArtifactStore, publishBundle } from '../training/artifacts/index.js';
import { openStudyStorage, type StudyStorage } from '../training/storage/index.js';
import { StudyTrialFeed, type StudyTrialFeedOptions } from './study-trial-feed.js';

const dir = mkdtempSync(join(tmpdir(), 'ht-trial-feed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const market = marketFromCloses(['BTC/USDT', 'ETH/USDT'], randomWalkCloses(2, 200, 3, 0.02));

/** A COMPLETE trial with `value`; its bundle written under `root` and, with `store`, published there. */
async function completeTrial(
  storage: StudyStorage,
  studyId: number,
  value: number,
  root: string,
  publish?: Parameters<typeof publishBundle>[0],
): Promise<number> {
  const { trialId, number } = await storage.createTrial(studyId);
  const modelPath = join('models', 's', String(number));
  writePpoBundle(join(root, modelPath), market, { seed: number + 1, common: { trialNumber: number } });
  const userAttrs: Record<string, unknown> = { model_path: modelPath };
  if (publish) userAttrs[ARTIFACT_ATTR] = await publishBundle(publish, join(root, modelPath));
  await storage.updateTrial(trialId, { userAttrs, finish: { state: 'COMPLETE', value } });
  return number;
}

/** A logger that keeps its lines. */
function memoryLogger() {
  const lines: string[] = [];
  const logger: ServiceLogger = {
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  return { lines, logger };
}

const frameAt = (ts: number) => ({ ts }) as FrameEvent;

/** The feed of study `s`; unless `version` says otherwise it reads again before every frame. */
const openFeed = (
  options: Omit<StudyTrialFeedOptions, 'studies' | 'version'> &
    Partial<Pick<StudyTrialFeedOptions, 'version'>>,
) => StudyTrialFeed.open({ studies: ['s'], version: (ts) => ts, ...options });

describe('StudyTrialFeed on SQLite', () => {
  it('re-reads before a frame only when the version changes, and keeps the same frozen list while nothing changed', async () => {
    const root = join(dir, 'sqlite');
    const storage = await openStudyStorage('sqlite:///studies.db', { baseDir: root });
    const { studyId } = await storage.createStudy('s', 'maximize');
    await completeTrial(storage, studyId, 1, root);
    await completeTrial(storage, studyId, 3, root);
    let version = 0;
    const feed = await openFeed({
      root,
      storageUrl: 'sqlite:///studies.db',
      artifacts: 'auto',
      version: () => version,
    });
    try {
      expect(feed.trialsAt(0)).toEqual([]); // nothing before the first frame's hook
      await feed.hook.beforeFrame!(frameAt(0));
      const first = feed.trialsAt(0);
      expect(first.map((t) => [t.number, t.value])).toEqual([
        [1, 3],
        [0, 1],
      ]);
      expect(first[0]!.modelPath).toBe(join('models', 's', '1')); // relative to the workspace root
      expect(Object.isFrozen(first)).toBe(true);
      await completeTrial(storage, studyId, 2, root);
      await feed.refresh(1); // same version: not read again
      expect(feed.trialsAt(1)).toBe(first);
      version = 1;
      await feed.refresh(2);
      expect(feed.trialsAt(2).map((t) => t.number)).toEqual([1, 2, 0]);
      const second = feed.trialsAt(2);
      version = 2;
      await feed.refresh(3); // read again, nothing new: the very same array
      expect(feed.trialsAt(3)).toBe(second);
    } finally {
      await feed.close();
      await storage.close();
    }
  });
});

describe.skipIf(!postgresAvailable())('StudyTrialFeed on PostgreSQL', () => {
  it('fetches the bundles that a worker elsewhere published into its own models/, checked', async () => {
    const db = await createTestDatabase('feed');
    const storage = await openStudyStorage(db.url);
    const store = (await openArtifactStore('auto', db.url))!;
    try {
      const { studyId } = await storage.createStudy('s', 'maximize');
      const workerRoot = join(dir, 'worker');
      await completeTrial(storage, studyId, 5, workerRoot, store);
      await completeTrial(storage, studyId, 7, workerRoot, store);
      const root = join(dir, 'deployer');
      const { lines, logger } = memoryLogger();
      const feed = await openFeed({ root, storageUrl: db.url, artifacts: 'auto', logger });
      try {
        await feed.refresh(0);
        expect(feed.trialsAt(0).map((t) => [t.number, t.modelPath])).toEqual([
          [1, join('models', 's', '1')],
          [0, join('models', 's', '0')],
        ]);
        expect(lines.filter((l) => l.startsWith('info fetched'))).toHaveLength(2);
      } finally {
        await feed.close();
      }
    } finally {
      await store.close();
      await storage.close();
      await db.drop();
    }
  });
});

const hasServerBinaries =
  postgresAvailable() &&
  serviceAvailable('PostgreSQL server binaries (pg_ctl)', () => postgresBinDir() !== null);

describe.skipIf(!hasServerBinaries)('StudyTrialFeed through a PostgreSQL outage', () => {
  it('goes on with the trials read before while the server is down, says so once, and reads again once it is back', async () => {
    const cluster = await startThrowawayCluster();
    try {
      const root = join(dir, 'outage');
      const storage = await openStudyStorage(cluster.url, { retryForMs: 30_000 });
      const { studyId } = await storage.createStudy('s', 'maximize');
      await completeTrial(storage, studyId, 1, root);
      const { lines, logger } = memoryLogger();
      const feed = await openFeed({
        root,
        storageUrl: cluster.url,
        artifacts: 'none',
        logger,
        retryForMs: 300,
      });
      try {
        await feed.refresh(0);
        const before = feed.trialsAt(0);
        expect(before.map((t) => t.number)).toEqual([0]);
        cluster.stopServer();
        await feed.refresh(1);
        await feed.refresh(2);
        expect(feed.trialsAt(2)).toBe(before);
        expect(lines).toEqual([
          'warn study storage unreachable: the services go on with the trials read before',
        ]);
        cluster.startServer();
        await completeTrial(storage, studyId, 2, root);
        await feed.refresh(3);
        expect(feed.trialsAt(3).map((t) => t.number)).toEqual([1, 0]);
        expect(lines.at(-1)).toBe('info study storage reachable again');
      } finally {
        await feed.close();
        await storage.close();
      }
    } finally {
      cluster.stop();
    }
  }, 60_000);
});
