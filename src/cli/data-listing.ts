import type { DataDir } from '../data/data-dir.js';
import { layoutOf } from '../data/dataset.js';
import { DATASETS } from '../data/registry.js';
import type { Width } from '../report/terminal-fit.js';
import { table } from './format.js';

/** Every data set as `nasbench data list` lists it (and `data list --json` returns it), with whether its files are in `dir`. */
export function datasetListing(dir: DataDir) {
  return DATASETS.map((d) => {
    const status = d.status(dir);
    return {
      name: d.name,
      title: d.title,
      kind: d.kind,
      summary: d.summary,
      present: status.present,
      foundIn: status.foundIn,
      dir: status.dir,
      missing: status.missing,
      files: d.files.map((f, i) => ({ path: layoutOf(d)[i], sha256: f.sha256, gunzippedSha256: f.gunzippedSha256, bytes: f.bytes, source: f.source })),
      downloads: d.downloads.map((s) => ({ url: s.url, kind: s.kind, md5: s.md5, sha256: s.sha256 })),
      notes: d.notes ?? [],
    };
  });
}

/** That listing as a terminal table: status, the hosts it downloads from, contents; fitted to `width` (a narrow one leaves out the hosts). */
export function datasetTable(listing: ReturnType<typeof datasetListing>, width: Width): string {
  return table(
    ['Data set', 'Status', 'Downloads from', 'Contents'],
    listing.map((d) => [
      d.name,
      d.present ? (d.foundIn === 'system' ? `present in ${d.dir}` : 'present') : `missing ${d.missing.length} of ${d.files.length} files`,
      [...new Set(d.downloads.map((s) => new URL(s.url).host)), ...(d.files.some((f) => f.source) ? ['import (see below)'] : [])].join(', '),
      d.summary,
    ]),
    { width, dropFirst: ['Downloads from'] },
  );
}
