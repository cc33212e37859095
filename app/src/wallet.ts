// Browser wallets: every injected wallet that announces itself by EIP-6963 (and
// `window.ethereum` when none does), the connected account, and the wallet's network, which
// the page switches to its chain (adding it first when the wallet does not know it).

import { createClient, custom, getAddress, numberToHex, type Address, type Chain, type Client, type CustomTransport, type Account } from 'viem';
import { rpcUrl } from './suite';

export interface Eip1193 {
  request(args: { method: string; params?: unknown }): Promise<unknown>;
  on?(event: string, listener: (...args: unknown[]) => void): void;
  removeListener?(event: string, listener: (...args: unknown[]) => void): void;
}

export interface WalletInfo {
  uuid: string;
  name: string;
  icon: string;
  rdns: string;
}

export interface Discovered {
  info: WalletInfo;
  provider: Eip1193;
}

/** Listens for wallets announcing themselves and calls `changed` with the list each time it grows. */
export function discover(changed: (wallets: Discovered[]) => void): void {
  const found: Discovered[] = [];
  window.addEventListener('eip6963:announceProvider', (event) => {
    const detail = (event as CustomEvent<Discovered>).detail;
    if (!detail?.info?.uuid || found.some((w) => w.info.uuid === detail.info.uuid)) return;
    found.push(detail);
    changed([...found]);
  });
  window.dispatchEvent(new Event('eip6963:requestProvider'));
  // A wallet that predates EIP-6963 only sets window.ethereum.
  window.setTimeout(() => {
    const legacy = (window as unknown as { ethereum?: Eip1193 }).ethereum;
    if (found.length === 0 && legacy) {
      found.push({ info: { uuid: 'window.ethereum', name: 'Browser wallet', icon: '', rdns: 'window.ethereum' }, provider: legacy });
      changed([...found]);
    }
  }, 400);
}

export type Signer = Client<CustomTransport, Chain, Account>;

/** A connected wallet: its provider, account and network. */
export class Wallet {
  account: Address;
  chainId: number;

  private constructor(readonly info: WalletInfo, readonly provider: Eip1193, account: Address, chainId: number) {
    this.account = account;
    this.chainId = chainId;
  }

  /** Asks the wallet for its accounts (the wallet shows its own prompt). */
  static async connect(found: Discovered): Promise<Wallet> {
    const accounts = (await found.provider.request({ method: 'eth_requestAccounts' })) as Address[];
    if (!accounts?.length) throw new Error(`${found.info.name} shared no account`);
    const chainId = Number(await found.provider.request({ method: 'eth_chainId' }));
    return new Wallet(found.info, found.provider, getAddress(accounts[0]), chainId);
  }

  /** Reconnects without a prompt when the wallet still shares an account with the page
   * (after a reload); undefined otherwise. */
  static async resume(found: Discovered): Promise<Wallet | undefined> {
    const accounts = (await found.provider.request({ method: 'eth_accounts' })) as Address[];
    if (!accounts?.length) return undefined;
    const chainId = Number(await found.provider.request({ method: 'eth_chainId' }));
    return new Wallet(found.info, found.provider, getAddress(accounts[0]), chainId);
  }

  /** Calls `changed` when the wallet switches account or network, and `gone` when it no
   * longer shares an account (disconnected in the wallet, or locked). */
  watch(changed: () => void, gone: () => void): void {
    const onAccounts = (accounts: unknown) => {
      const list = accounts as Address[];
      if (!list?.length) {
        this.stop();
        return gone();
      }
      this.account = getAddress(list[0]);
      changed();
    };
    const onChain = (id: unknown) => {
      this.chainId = Number(id);
      changed();
    };
    const onDisconnect = () => {
      this.stop();
      gone();
    };
    this.provider.on?.('accountsChanged', onAccounts);
    this.provider.on?.('chainChanged', onChain);
    this.provider.on?.('disconnect', onDisconnect);
    this.stop = () => {
      this.provider.removeListener?.('accountsChanged', onAccounts);
      this.provider.removeListener?.('chainChanged', onChain);
      this.provider.removeListener?.('disconnect', onDisconnect);
    };
  }

  /** Stops listening to the wallet. */
  stop: () => void = () => {};

  /** Switches the wallet to `chain`, adding the chain first when the wallet does not know it
   * (EIP-3326, then EIP-3085 on code 4902; some wallets nest the code in `data`). */
  async switchTo(chain: Chain): Promise<void> {
    const chainId = numberToHex(chain.id);
    try {
      await this.provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId }] });
    } catch (error) {
      const e = error as { code?: number; data?: { originalError?: { code?: number } } };
      const unknownChain = e.code === 4902 || e.data?.originalError?.code === 4902;
      if (!unknownChain) throw error;
      await this.provider.request({
        method: 'wallet_addEthereumChain',
        params: [{ chainId, chainName: chain.name, nativeCurrency: chain.nativeCurrency, rpcUrls: [rpcUrl()] }],
      });
      await this.provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId }] });
    }
    this.chainId = Number(await this.provider.request({ method: 'eth_chainId' }));
  }

  /** Signs and sends through the wallet, for `chain`. */
  signer(chain: Chain): Signer {
    return createClient({ account: this.account, chain, transport: custom(this.provider) }) as Signer;
  }
}
