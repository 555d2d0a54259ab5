// What a commit expects of a journal (state files record it): its schema (pure).
import { z } from 'zod';

/** What a commit expects of a journal: its size in bytes and the sha256 of its bytes (as `sha256sum` prints it). */
export const JournalMarkSchema = z.strictObject({
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type JournalMark = z.infer<typeof JournalMarkSchema>;
