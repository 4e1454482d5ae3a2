import { Flags } from '@oclif/core';
import { REPORT_FORMATS } from '../../report/render.js';
import { parseSince, type Selection } from '../../report/selection.js';

/** Which runs `report` covers; every flag given narrows the selection. */
export const selectionFlags = {
  task: Flags.string({ char: 't', description: 'Only this task' }),
  method: Flags.string({ char: 'm', description: 'Only this method' }),
  run: Flags.integer({ char: 'r', description: 'Only this run id (repeatable)', multiple: true, min: 1 }),
  since: Flags.string({ description: 'Only experiments created at or after this ISO date or date-time', helpValue: '<date>' }),
};

/** The selection those flags ask for (a bad --since is the user's error). */
export function selectionOf(flags: { readonly task?: string | undefined; readonly method?: string | undefined; readonly run?: number[] | undefined; readonly since?: string | undefined }): Selection {
  return { task: flags.task, method: flags.method, runIds: flags.run, since: flags.since === undefined ? undefined : parseSince(flags.since) };
}

/** What `report` writes, and where. */
export const reportOutputFlags = {
  format: Flags.option({ char: 'f', description: 'Output format', options: REPORT_FORMATS, default: 'table' })(),
  out: Flags.string({ char: 'o', description: 'Write the report to this file instead of standard output', helpValue: '<file>' }),
  charts: Flags.boolean({ description: 'With --out, also write PNG charts (html always has its charts inline)', default: true, allowNo: true }),
  published: Flags.boolean({ description: 'Add a block of published results (marked "published, not measured")', default: false }),
};
