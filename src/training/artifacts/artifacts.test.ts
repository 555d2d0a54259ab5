// Bundles that travel: publish, fetch into a folder never seen, verify, refuse what does not match, cache.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensembleManifest, writePpoBundle } from '../../../test/bundle-fixtures.js';
import { marketFromCloses, randomWalkCloses } from '../../../test/market-fixtures.js';
import { createTestDatabase, postgresAvailable } from '../../../test/postgres-service.js';
import { sha256Hex, writeBundle } from '../../models/bundle/index.js';
import type { RankedTrial } from '../ranked-trials.js';
import { type ArtifactRecord, type ArtifactStore, bundleDigest } from './artifact-store.js';
import { describeBundle, fetchBundle, publishBundle } from './bundle-artifacts.js';
import { FileArtifactStore } from './file-artifact-store.js';
import { openArtifactStore } from './open-artifact-store.js';
import { PostgresArtifactStore } from './postgres-artifact-store.js';
import { TrialBundles } from './trial-bundles.js';

const dir = mkdtempSync(join(tmpdir(), 'ht-artifacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const market = marketFromCloses(['BTC/USDT', 'ETH/USDT'], randomWalkCloses(2, 200, 3, 0.02));

/** A real bundle (a small PPO network: manifest.json and weights.bin), different per seed. */
function makeBundle(path: string, seed: number): string {
  writePpoBundle(path, market, { seed, common: { study: 'st', trialNumber: seed, trainingScore: seed } });
  return path;
}

/** The contract every store keeps; run against each implementation. */
function storeContract(name: string, open: () => Promise<ArtifactStore>) {
  describe(`${name} artifact store`, () => {
    let store: ArtifactStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(() => store.close());

    it('stores bytes under their sha256 once and gives them back checked', async () => {
      const bytes = new Uint8Array([1, 2, 3, 250]);
      const sha = await store.put(bytes);
      expect(sha).toBe(sha256Hex(bytes));
      expect(await store.put(bytes)).toBe(sha);
      expect(Buffer.from(await store.get(sha))).toEqual(Buffer.from(bytes));
      expect(Buffer.from(await store.get(await store.put(new Uint8Array())))).toEqual(Buffer.alloc(0));
      await expect(store.get('0'.repeat(64))).rejects.toThrow(
        expect.objectContaining({ code: 'ARTIFACT_NOT_FOUND' }),
      );
    });

    it('carries a bundle to a folder that never held it, identical byte for byte', async () => {
      const source = makeBundle(join(dir, name, 'worker', 'models', 's', '3'), 3);
      const record = await publishBundle(store, source);
      expect(record.store).toBe(store.kind);
      expect(record.files.map((f) => f.name)).toEqual(['manifest.json', 'weights.bin']);
      const target = join(dir, name, 'deployer', 'models', 's', '3');
      expect(await fetchBundle(store, record, target)).toBe('fetched');
      for (const f of ['manifest.json', 'weights.bin'])
        expect(readFileSync(join(target, f))).toEqual(readFileSync(join(source, f)));
      expect(readdirSync(join(target, '..'))).toEqual(['3']); // no temporary folder left
      expect(await fetchBundle(store, record, target)).toBe('local');
    });
  });
}

storeContract('files', async () => new FileArtifactStore(join(dir, 'shared')));
if (postgresAvailable()) {
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  afterAll(async () => db?.drop());
  storeContract('database', async () => {
    db = await createTestDatabase('artifacts');
    return PostgresArtifactStore.open(db.url, db.url);
  });
}

describe('bundle records and refusals', () => {
  const store = new FileArtifactStore(join(dir, 'refusals-store'));

  it("computes the digest as `sha256sum * | sha256sum` does in the bundle's folder", async () => {
    const bundle = makeBundle(join(dir, 'digest'), 9);
    const shell = execFileSync('sh', ['-c', 'LC_ALL=C sha256sum * | sha256sum'], {
      cwd: bundle,
      encoding: 'utf8',
    });
    expect(describeBundle(bundle, 'files').sha256).toBe(shell.split(' ')[0]);
  });

  it('refuses to publish an ensemble (it loads other bundles)', async () => {
    const base = join(dir, 'ens', 'models');
    makeBundle(join(base, 'st', '0'), 1);
    writeBundle(
      join(base, 'ens', '0'),
      ensembleManifest(['BTC/USDT', 'ETH/USDT'], [{ path: 'st/0', weight: 1 }]),
    );
    await expect(publishBundle(store, join(base, 'ens', '0'))).rejects.toThrow(
      expect.objectContaining({ code: 'ARTIFACT_UNSUPPORTED' }),
    );
  });

  it('checks a folder against the files its record names, including ones a publisher outside this code added', async () => {
    // Python's publish_bundle lists every file of the folder; a file beside the manifest's travels too
    const source = makeBundle(join(dir, 'py', 'src'), 8);
    writeFileSync(join(source, 'notes.txt'), 'trained in a notebook\n');
    const files = [...describeBundle(source, 'files').files];
    const notes = readFileSync(join(source, 'notes.txt'));
    files.push({ name: 'notes.txt', sha256: await store.put(notes), bytes: notes.byteLength });
    for (const f of files) await store.put(readFileSync(join(source, f.name)));
    const record: ArtifactRecord = { store: 'files', sha256: bundleDigest(files), files };
    const target = join(dir, 'py', 'deployer');
    expect(await fetchBundle(store, record, target)).toBe('fetched');
    expect(readFileSync(join(target, 'notes.txt'), 'utf8')).toBe('trained in a notebook\n');
    expect(await fetchBundle(store, record, target)).toBe('local');
    writeFileSync(join(target, 'notes.txt'), 'changed\n');
    await expect(fetchBundle(store, record, target)).rejects.toThrow(
      expect.objectContaining({ code: 'ARTIFACT_MISMATCH' }),
    );
  });

  it('refuses a folder that holds another bundle, a corrupted blob, a missing one, or the other kind of store', async () => {
    const record = await publishBundle(store, makeBundle(join(dir, 'r', 'src'), 5));
    const other = makeBundle(join(dir, 'r', 'other'), 6);
    await expect(fetchBundle(store, record, other)).rejects.toThrow(
      expect.objectContaining({ code: 'ARTIFACT_MISMATCH', message: expect.stringContaining(other) }),
    );
    const weights = record.files.find((f) => f.name === 'weights.bin')!;
    const blob = join(dir, 'refusals-store', 'sha256', weights.sha256.slice(0, 2), weights.sha256);
    writeFileSync(blob, Buffer.from([0]));
    await expect(fetchBundle(store, record, join(dir, 'r', 'corrupt'))).rejects.toThrow(
      expect.objectContaining({ code: 'ARTIFACT_CORRUPT' }),
    );
    expect(readdirSync(join(dir, 'r')).sort()).toEqual(['other', 'src']); // nothing half-written
    rmSync(blob);
    await expect(fetchBundle(store, record, join(dir, 'r', 'missing'))).rejects.toThrow(
      expect.objectContaining({ code: 'ARTIFACT_NOT_FOUND' }),
    );
    const database: ArtifactRecord = { ...record, store: 'database' };
    await expect(fetchBundle(store, database, join(dir, 'r', 'kind'))).rejects.toThrow(
      expect.objectContaining({ code: 'ARTIFACT_STORE_MISMATCH' }),
    );
    const forged: ArtifactRecord = {
      ...record,
      sha256: bundleDigest([{ name: 'x', sha256: record.sha256 }]),
    };
    await expect(fetchBundle(store, forged, join(dir, 'r', 'forged'))).rejects.toThrow(
      expect.objectContaining({ code: 'ARTIFACT_CORRUPT' }),
    );
  });

  it('opens the store a spec names: none for SQLite by default, a folder, and refusals', async () => {
    expect(await openArtifactStore('auto', 'sqlite:///studies.db', dir)).toBeNull();
    expect(await openArtifactStore('none', 'postgresql://u@h/db', dir)).toBeNull();
    expect((await openArtifactStore('file:///srv/shared', 'sqlite:///s.db', dir))?.shown).toBe('/srv/shared');
    expect((await openArtifactStore('shared', 'sqlite:///s.db', dir))?.shown).toBe(join(dir, 'shared'));
    await expect(openArtifactStore('database', 'sqlite:///s.db', dir)).rejects.toThrow(
      expect.objectContaining({ code: 'ARTIFACTS_INVALID' }),
    );
    await expect(openArtifactStore('s3://bucket', 'sqlite:///s.db', dir)).rejects.toThrow(
      expect.objectContaining({ code: 'ARTIFACTS_INVALID' }),
    );
  });
});

describe('TrialBundles: the best trials made local before the lifecycle needs them', () => {
  const store = new FileArtifactStore(join(dir, 'ranked-store'));
  const trial = (number: number, artifact?: unknown): RankedTrial => ({
    study: 'st',
    number,
    trialId: number + 1,
    value: 10 - number,
    modelPath: `/elsewhere/models/st/${number}`,
    completedAt: null,
    params: {},
    ...(artifact === undefined ? {} : { artifact }),
  });

  it('fetches the top ones into <root>/models/<study>/<n>, leaves the rest for later, reports a bad one once', async () => {
    const records = [];
    for (let n = 0; n < 4; n++)
      records.push(await publishBundle(store, makeBundle(join(dir, 'w', String(n)), n)));
    const root = join(dir, 'deployer-root');
    const problems: string[] = [];
    const bundles = new TrialBundles({
      store,
      root,
      top: 3,
      onProblem: (t, e) => problems.push(`${t.number}:${e.code}`),
    });
    const local = trial(9); // trained here: passes untouched
    const ranked = [trial(0, records[0]), trial(1, { store: 'files' }), local, trial(3, records[3])];
    const first = await bundles.local(ranked);
    expect(first.map((t) => t.number)).toEqual([0, 9]);
    expect(first[0]!.modelPath).toBe(join('models', 'st', '0')); // relative to root, as local trials' paths
    expect(first[1]).toBe(local);
    expect(readdirSync(join(root, 'models', 'st'))).toEqual(['0']);
    expect(problems).toEqual(['1:ARTIFACT_RECORD_INVALID']);
    // trial 3 climbs into the top 3 later: fetched then; the bad one is not reported again
    const second = await bundles.local([
      trial(3, records[3]),
      trial(1, { store: 'files' }),
      trial(0, records[0]),
    ]);
    expect(second.map((t) => t.number)).toEqual([3, 0]);
    expect(problems).toEqual(['1:ARTIFACT_RECORD_INVALID']);
    const none = new TrialBundles({
      store: null,
      root,
      onProblem: (t, e) => problems.push(`${t.number}:${e.code}`),
    });
    expect(await none.local([trial(2, records[2])])).toEqual([]);
    expect(problems.at(-1)).toBe('2:ARTIFACT_STORE_MISSING');
  });
});
