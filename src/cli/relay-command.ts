import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { writeOnce } from '../app/data-dir.js';
import { openHubAt } from '../app/hub-open.js';
import { RelayClient } from '../app/relay-client.js';
import { ensureSealingKey, loadSealingKey } from '../app/relay-key-file.js';
import { pullFromRelay } from '../app/relay-pull.js';
import { pushToRelay } from '../app/relay-push.js';
import { buildRelayServer } from '../app/relay-server.js';
import { parseVerifierKey } from '../ledger/ledger-note.js';
import { mailboxIdOf } from '../relay/relay-envelope.js';
import { parseSealingPublicKey } from '../relay/relay-keys.js';
import { RelayMailStore } from '../store/hub/relay-mail-store.js';
import { RelayOutboxStore } from '../store/hub/relay-outbox-store.js';
import { DATA_OPTION, wholeNumberOption } from './cli-arguments.js';
import { CliError, usageError } from './cli-error.js';
import { JSON_OPTION } from './cli-output.js';

import { type DataOpts, print, relayBase, tokenPath, withHub } from './relay-cli-shared.js';
import { registerRelayFeedback } from './relay-feedback-command.js';
import { registerRelayVerifyReceipt } from './relay-receipt-command.js';

export function registerRelay(program: Command): void {
  const relay = program
    .command('relay')
    .description('the liaison relay: carry sealed envelopes between hubs without reading them');

  relay
    .command('serve')
    .description("serve this data dir as a relay (TAXII 2.1 mailboxes, the relay's ledger and receipts)")
    .option(...DATA_OPTION)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '9500')
    .option('--log-level <level>', 'info, warn or error', 'info')
    .action(async (o: DataOpts & { host: string; port: string; logLevel: string }) => {
      if (!/^\d{1,5}$/.test(o.port) || Number(o.port) > 65535)
        throw usageError(`--port "${o.port}" must be 0-65535`);
      if (!['info', 'warn', 'error'].includes(o.logLevel))
        throw usageError(`--log-level "${o.logLevel}" must be info, warn or error`);
      const hub = await openHubAt({ ...o, serving: true });
      const app = buildRelayServer(hub, { log: { stream: process.stdout, level: o.logLevel } });
      try {
        await app.listen({ host: o.host, port: Number(o.port) });
      } catch (err) {
        await hub.close();
        throw usageError(`cannot listen on ${o.host}:${o.port}: ${(err as Error).message}`);
      }
      const address = app.server.address();
      const bound = typeof address === 'object' && address ? address.port : Number(o.port);
      const host = o.host.includes(':') ? `[${o.host}]` : o.host;
      process.stderr.write(`tearline: relay serving at http://${host}:${bound}/ (data ${hub.paths.dir})\n`);
      const signal = await new Promise<string>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      process.stderr.write(`tearline: ${signal}: relay shutting down\n`);
      try {
        await app.close();
      } finally {
        await hub.close();
      }
    });

  const hubs = relay.command('hub').description('on a relay: the hubs that may use it');
  hubs
    .command('add <name>')
    .description('register a hub with its published ledger key (tearline ledger key); prints its token once')
    .requiredOption('--key <verifier-key>', "the hub's ledger verifier key, NAME+ID+BASE64")
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (name: string, o: DataOpts & { key: string }) => {
      const key = parseVerifierKey(o.key);
      if (!key.ok) throw usageError(`--key: ${key.message}`);
      if (key.verifier.name !== name)
        throw usageError(
          `--key belongs to ${key.verifier.name}, not ${name}: the hub name is its ledger key's name`,
        );
      await withHub(o, 'partner.manage', async (hub) => {
        const r = await new RelayMailStore(hub.sql).addHub(name, o.key.trim(), hub.clock.now());
        if (!r.ok) throw new CliError(r.message);
        print(
          o,
          { hub: name, token: r.token },
          `registered ${name}; its relay token (shown once): ${r.token}`,
        );
      });
    });
  hubs
    .command('list')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (o: DataOpts) =>
      withHub(o, 'read', async (hub) => {
        const list = await new RelayMailStore(hub.sql).hubs();
        print(o, list, list.map((h) => `${h.name}  ${h.verifierKey}`).join('\n') || '(no hubs)');
      }),
    );

  relay
    .command('link <a> <b>')
    .description('on a relay: open the two mailboxes between two registered hubs')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (a: string, b: string, o: DataOpts) =>
      withHub(o, 'partner.manage', async (hub) => {
        const r = await new RelayMailStore(hub.sql).link(a, b, hub.clock.now());
        if (!r.ok) throw new CliError(r.message);
        print(o, r.mailboxes, r.mailboxes.map((m) => `${m.id}  ${m.sender} -> ${m.recipient}`).join('\n'));
      }),
    );

  relay
    .command('keygen')
    .description(
      'on a hub: create its sealing key (X25519) if it has none; prints the public key to give partners',
    )
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (o: DataOpts) =>
      withHub(o, 'partner.manage', async (hub) => {
        const { created } = ensureSealingKey(hub.paths, hub.config.hub_name);
        const key = await loadSealingKey(hub.paths, hub.config.hub_name);
        if (!key.ok) throw new CliError(key.message);
        print(o, { created, public_key: key.key.publicKeyText }, key.key.publicKeyText);
      }),
    );

  relay
    .command('route <partner>')
    .description('on a sender hub: reach PARTNER through a relay, sealing to its public sealing key')
    .requiredOption('--relay <url>', 'the relay, e.g. https://doha-relay.example:9500/')
    .requiredOption('--recipient <name>', "the partner hub's name on the relay")
    .requiredOption('--recipient-key <key>', "the partner's sealing public key (its 'tearline relay keygen')")
    .requiredOption('--token <token>', "this hub's relay token (from the relay's 'relay hub add')")
    .option(...DATA_OPTION)
    .action(
      async (
        partnerName: string,
        o: DataOpts & { relay: string; recipient: string; recipientKey: string; token: string },
      ) => {
        const url = relayBase(o.relay);
        const key = parseSealingPublicKey(o.recipientKey);
        if (!key.ok) throw usageError(`--recipient-key: ${key.message}`);
        if (key.publicKey.name !== o.recipient)
          throw usageError(
            `--recipient-key belongs to ${key.publicKey.name}, not --recipient ${o.recipient}`,
          );
        if (!/^trl_[A-Za-z0-9_-]{43}$/.test(o.token))
          throw usageError('--token must be a relay token (trl_...)');
        await withHub(o, 'partner.manage', async (hub) => {
          const partner = await hub.state.partners.get(partnerName);
          if (!partner) throw new CliError(`no partner ${partnerName}`);
          const path = tokenPath(hub, url);
          if (!writeOnce(path, `${o.token}\n`, 0o600) && readFileSync(path, 'utf8').trim() !== o.token)
            throw new CliError(
              `${path} already holds another token for ${url}; remove it first to replace it`,
            );
          await new RelayOutboxStore(hub.sql).setRoute(
            {
              partnerId: partner.id,
              relayUrl: url,
              recipient: o.recipient,
              recipientKey: o.recipientKey.trim(),
            },
            hub.clock.now(),
          );
          process.stdout.write(`${partner.name} is reached via ${url} as ${o.recipient}\n`);
        });
      },
    );

  relay
    .command('push')
    .description("on a sender hub: seal each partner's new releases and post them to its relay")
    .option('--partner <name>', 'only this partner (default: every partner with a route)')
    .option('--envelope-objects <n>', 'objects sealed in one envelope, 1-1000', '100')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (o: DataOpts & { partner?: string; envelopeObjects: string }) => {
      const envelopeObjects = wholeNumberOption(o.envelopeObjects, '--envelope-objects', 1, 1000);
      return withHub(o, 'release.run', async (hub) => {
        const outbox = new RelayOutboxStore(hub.sql);
        const routes = await outbox.routes();
        const results = [];
        for (const route of routes) {
          const partner = await hub.state.partners.get(route.partnerId);
          if (!partner || (o.partner !== undefined && partner.name !== o.partner && partner.id !== o.partner))
            continue;
          const path = tokenPath(hub, route.relayUrl);
          if (!existsSync(path))
            throw new CliError(`no relay token at ${path}: run 'tearline relay route' again`);
          const r = await pushToRelay(hub, partner, readFileSync(path, 'utf8').trim(), {
            envelopeObjects,
          });
          results.push({ partner: partner.name, relay: route.relayUrl, ...r });
        }
        if (o.partner !== undefined && results.length === 0)
          throw new CliError(`partner ${o.partner} is not reached through a relay`);
        print(
          o,
          results,
          results
            .map(
              (r) =>
                `${r.partner} via ${r.relay}: ${r.sealed} sealed (${r.objects} objects), ${r.posted} posted, ${r.delivered} delivered` +
                r.failures.map((f) => `\n  refused: ${f}`).join(''),
            )
            .join('\n') || 'no partner is reached through a relay',
        );
        if (results.some((r) => r.failures.length > 0)) process.exitCode = 1;
      });
    });

  relay
    .command('pull <relay-url>')
    .description('on a recipient hub: fetch, check, open and import what one sender left at a relay')
    .requiredOption('--token <token>', "this hub's relay token")
    .requiredOption('--sender-key <key>', "the sender's published ledger key (its 'tearline ledger key')")
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (url: string, o: DataOpts & { token: string; senderKey: string }) => {
      const base = relayBase(url);
      const sender = parseVerifierKey(o.senderKey);
      if (!sender.ok) throw usageError(`--sender-key: ${sender.message}`);
      await withHub(o, 'intel.import', async (hub, actor) => {
        const r = await pullFromRelay(hub, base, o.token, sender.verifier, actor.name);
        print(
          o,
          r,
          `fetched ${r.fetched} envelopes from ${sender.verifier.name}, accepted ${r.accepted}: ${r.objects.added} objects ${r.into === 'intel' ? 'added' : 'awaiting review as submissions'}, ` +
            `${r.objects.new_versions} new versions, ${r.objects.duplicates} duplicates, ${r.objects.rejected} rejected` +
            r.problems.map((p) => `\n  problem: ${p}`).join(''),
        );
        if (r.problems.length > 0 || r.objects.rejected > 0) process.exitCode = 1;
      });
    });

  registerRelayFeedback(relay);
  registerRelayVerifyReceipt(relay);

  relay
    .command('receipt <partner> <sequence>')
    .description(
      "on a sender hub: fetch the relay's receipt for one envelope sealed for PARTNER (check it with relay verify-receipt)",
    )
    .option(...DATA_OPTION)
    .action(async (partnerName: string, sequence: string, o: DataOpts) => {
      if (!/^[1-9]\d{0,14}$/.test(sequence))
        throw usageError(`sequence "${sequence}" must be a whole number >= 1`);
      await withHub(o, 'read', async (hub) => {
        const partner = await hub.state.partners.get(partnerName);
        if (!partner) throw new CliError(`no partner ${partnerName}`);
        const outbox = new RelayOutboxStore(hub.sql);
        const route = await outbox.route(partner.id);
        if (!route) throw new CliError(`partner ${partner.name} is not reached through a relay`);
        const row = (await outbox.list(partner.id)).find((r) => r.sequence === Number(sequence));
        if (!row) throw new CliError(`no envelope ${sequence} was sealed for ${partner.name}`);
        const path = tokenPath(hub, route.relayUrl);
        if (!existsSync(path))
          throw new CliError(`no relay token at ${path}: run 'tearline relay route' again`);
        const client = new RelayClient(route.relayUrl, readFileSync(path, 'utf8').trim());
        const receipt = await client.receipts(
          mailboxIdOf(hub.config.hub_name, route.recipient),
          row.envelopeId,
        );
        process.stdout.write(`${JSON.stringify(receipt)}\n`);
      });
    });

  relay
    .command('status <partner>')
    .description('on a sender hub: each envelope sealed for PARTNER, posted, delivered')
    .option(...DATA_OPTION)
    .option(...JSON_OPTION)
    .action(async (partnerName: string, o: DataOpts) =>
      withHub(o, 'read', async (hub) => {
        const partner = await hub.state.partners.get(partnerName);
        if (!partner) throw new CliError(`no partner ${partnerName}`);
        const rows = (await new RelayOutboxStore(hub.sql).list(partner.id)).map(({ body: _b, ...r }) => r);
        print(
          o,
          rows,
          rows
            .map(
              (r) =>
                `#${r.sequence} ${r.objects} objects  sealed ${r.sealedAt}  posted ${r.postedAt ?? '-'}  delivered ${r.deliveredAt ?? '-'}`,
            )
            .join('\n') || '(nothing sealed yet)',
        );
      }),
    );
}
