// Reads that several views share: the suite's events, scanned in chunks (hosted RPCs cap the
// block range of one log query), a few chunks at a time, and remembered: a later read only
// scans the blocks that came since.

import type { Abi, Address, ContractEventName, GetContractEventsReturnType } from 'viem';
import { getBlockNumber, getContractEvents } from 'viem/actions';
import type { App } from './app';

/** The most blocks one `eth_getLogs` spans (Infura's limit is 10,000). */
const CHUNK = 10_000n;
/** Chunks asked for at once. */
const PARALLEL = 4;

const scanned = new Map<string, { upTo: bigint; logs: unknown[] }>();

/** Every `eventName` log of the contract at `address` since the deployment, oldest first. */
export async function eventsOf<const abi extends Abi, name extends ContractEventName<abi>>(
  app: App,
  address: Address,
  abi: abi,
  eventName: name,
  args?: Record<string, unknown>,
): Promise<GetContractEventsReturnType<abi, name, true>> {
  const key = `${app.suite.chainId}:${address.toLowerCase()}:${String(eventName)}:${JSON.stringify(args ?? {}, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`;
  const known = scanned.get(key) ?? { upTo: BigInt(app.suite.deployBlock) - 1n, logs: [] };
  const latest = await getBlockNumber(app.reader, { cacheTime: 0 });
  const ranges: [bigint, bigint][] = [];
  for (let from = known.upTo + 1n; from <= latest; from += CHUNK) {
    ranges.push([from, from + CHUNK - 1n < latest ? from + CHUNK - 1n : latest]);
  }
  const found: unknown[] = [];
  for (let i = 0; i < ranges.length; i += PARALLEL) {
    const batch = await Promise.all(
      ranges.slice(i, i + PARALLEL).map(([fromBlock, toBlock]) =>
        getContractEvents(app.reader, { address, abi, eventName, args, fromBlock, toBlock, strict: true } as never) as Promise<unknown[]>,
      ),
    );
    for (const logs of batch) found.push(...logs);
  }
  const next = { upTo: latest > known.upTo ? latest : known.upTo, logs: [...known.logs, ...found] };
  scanned.set(key, next);
  return next.logs as GetContractEventsReturnType<abi, name, true>;
}
