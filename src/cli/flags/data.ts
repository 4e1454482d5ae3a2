import { Flags } from '@oclif/core';
import { UserError } from '../../errors.js';

export const dataDirFlag = Flags.string({
  description: 'Directory with the data sets (default: $NASBENCH_DATA_DIR, then ~/.cache/nasbench/data)',
  helpValue: '<dir>',
});

/** `--mirror` must be a web address the downloader can request files under. */
function mirrorUrl(text: string): string {
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UserError(`--mirror '${text}': expected an http:// or https:// URL such as http://mirror.example.org/nasbench`);
  }
  return text;
}

export const mirrorFlag = Flags.custom<string>({
  parse: async (input) => mirrorUrl(input),
  description: 'Base URL to download from instead of the upstream hosts; each file is requested by its upstream name (e.g. <url>/cifar-10-binary.tar.gz)',
  helpValue: '<url>',
})();
