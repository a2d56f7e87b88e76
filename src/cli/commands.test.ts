import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandsFor } from './commands.js';

describe('the command table', () => {
  it('names exactly the commands each file registers, each name once', async () => {
    const seen: string[] = [];
    for (const entry of COMMANDS) {
      const program = new Command();
      (await entry.load())(program);
      expect(program.commands.map((c) => c.name())).toEqual(entry.names);
      seen.push(...entry.names);
    }
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('loads only the named command, and every command for help or an unknown name', async () => {
    const names = async (argv: string[]) => {
      const program = new Command();
      for (const register of await commandsFor(argv)) register(program);
      return program.commands.map((c) => c.name());
    };
    expect(await names(['import', 'x.json', '--json'])).toEqual(['import']);
    expect(await names(['queue', 'list'])).toEqual(['release', 'queue', 'recall', 'recalls']);
    const all = COMMANDS.flatMap((c) => c.names);
    expect(await names(['--help'])).toEqual(all);
    expect(await names(['imprt'])).toEqual(all);
    expect(await names([])).toEqual(all);
  });
});
