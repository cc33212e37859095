// Reads that several views share: the suite's events in chunks (hosted RPCs cap the block
// range of one log query).

import type { Abi, Address, ContractEventName, GetContractEventsReturnType } from 'viem';
import { getBlockNumber, getContractEvents } from 'viem/actions';
import type { App } from './app';

/** The most blocks one `eth_getLogs` spans (Infura's limit is 10,000). */
const CHUNK = 10_000n;

/** Every `eventName` log of the contract at `address` since the deployment, oldest first. */
export async function eventsOf<const abi extends Abi, name extends ContractEventName<abi>>(
  app: App,
  address: Address,
  abi: abi,
  eventName: name,
  args?: Record<string, unknown>,
): Promise<GetContractEventsReturnType<abi, name, true>> {
  const latest = await getBlockNumber(app.reader, { cacheTime: 0 });
  const out: unknown[] = [];
  for (let from = BigInt(app.suite.deployBlock); from <= latest; from += CHUNK) {
    const to = from + CHUNK - 1n < latest ? from + CHUNK - 1n : latest;
    const logs = await getContractEvents(app.reader, { address, abi, eventName, args, fromBlock: from, toBlock: to, strict: true } as never);
    out.push(...(logs as unknown[]));
  }
  return out as GetContractEventsReturnType<abi, name, true>;
}
