// An operator request (run/control/pending/<id>.json) and its result: schemas (pure).
import { z } from 'zod';

export const ControlActionSchema = z.enum(['pause', 'resume', 'promote', 'demote', 'rollback']);
export type ControlAction = z.infer<typeof ControlActionSchema>;

export const ControlServiceSchema = z.enum(['paper', 'deployer']);
export type ControlService = z.infer<typeof ControlServiceSchema>;

const ID_PATTERN = /^[A-Za-z0-9-]{8,64}$/;

/** Ids are checked before they become file names: nothing else of a request reaches the file system. */
export function isValidControlId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export const ControlRequestSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    id: z.string().regex(ID_PATTERN),
    action: ControlActionSchema,
    /** The service paused or resumed (pause/resume only). */
    service: ControlServiceSchema.nullable(),
    /** The arena member to promote (promote only). */
    modelId: z.string().min(1).max(200).nullable(),
    reason: z.string().max(500),
    requestedAt: z.string(),
    requestedBy: z.string().min(1).max(100),
  })
  .superRefine((r, ctx) => {
    const needsService = r.action === 'pause' || r.action === 'resume';
    if (needsService !== (r.service !== null))
      ctx.addIssue({
        code: 'custom',
        path: ['service'],
        message: needsService ? `required for ${r.action}` : `only for pause and resume`,
      });
    if ((r.action === 'promote') !== (r.modelId !== null))
      ctx.addIssue({
        code: 'custom',
        path: ['modelId'],
        message: r.action === 'promote' ? 'required for promote' : 'only for promote',
      });
  });
export type ControlRequest = z.infer<typeof ControlRequestSchema>;

export const ControlResultSchema = z.strictObject({
  schemaVersion: z.literal(1),
  status: z.enum(['applied', 'refused']),
  reason: z.string(),
  /** ts of the deployer cycle that decided (null when decided outside a cycle). */
  cycleTs: z.number().nullable(),
  at: z.string(),
});
export type ControlResult = z.infer<typeof ControlResultSchema>;

/** run/control/done/<id>.json: a decided request with its result. */
export const DoneFileSchema = z.strictObject({ request: ControlRequestSchema, result: ControlResultSchema });
