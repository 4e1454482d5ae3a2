import { describeParam } from '../../harness/params.js';
import { discoverPlugins, formatSource } from '../../harness/plugins.js';
import { NasbenchCommand, wideFlag } from '../base.js';

export default class Methods extends NasbenchCommand {
  static override summary = 'List the search methods nasbench can run, with their hyper-parameters';
  static override description = `Methods come from nasbench's own methods/ folder and from installed npm packages named nasbench-method-*; a plugin file can also be run by path ('nasbench run ./my-searcher.js'). Set a hyper-parameter with 'nasbench run <method> --param key=value'.`;

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];
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
