import { describeParam } from '../../harness/params.js';
import { discoverPlugins } from '../../harness/plugins.js';
import { formatSource } from '../../store/method-source.js';
import { NasbenchCommand } from '../base.js';
import { wideFlag } from '../flags/output.js';
import { methodsHelp } from '../help/catalog.js';

export default class Methods extends NasbenchCommand {
  static override summary = methodsHelp.summary;
  static override description = methodsHelp.description;
  static override examples = methodsHelp.examples;
  static override enableJsonFlag = true;
  static override flags = { wide: wideFlag };

  async run(): Promise<unknown> {
    await this.parse(Methods);
    const { plugins, broken } = await discoverPlugins();
    for (const b of broken) this.warn(`${b.source} could not be loaded: ${b.error}`);
    const listing = plugins.map(({ plugin, source }) => ({
      name: plugin.name,
      description: plugin.description,
      spaces: plugin.spaces,
      source: formatSource(source),
      params: Object.entries(plugin.params).map(([name, spec]) => ({ name, ...spec, accepts: describeParam(spec) })),
    }));
    for (const m of listing) {
      this.log(`${m.name}  ${m.description}`);
      this.log(`  spaces: ${m.spaces === 'any' ? 'any' : m.spaces.join(', ')}   source: ${m.source}`);
      for (const p of m.params) this.log(`  --param ${p.name}=${p.default}   ${p.doc} (${p.accepts})`);
      this.log('');
    }
    return listing;
  }
}
