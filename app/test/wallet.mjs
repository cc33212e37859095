// A test wallet for the browser test: the page sees an EIP-1193 provider that announces itself
// by EIP-6963 (the init script below, injected before any page script); every request crosses
// to Node through an exposed function, where anvil's dev keys sign (viem's local accounts) and
// everything else is forwarded to the node. The test drives it as a person drives a wallet:
// which account is selected, the network it is on, whether the next prompt is rejected.

import { createWalletClient, http, numberToHex, hexToBigInt } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

/** The page side: a provider whose `request` calls `window.__dseqWallet` (exposed by the test). */
export const INIT_SCRIPT = `(() => {
  const listeners = {};
  const provider = {
    isDseqTestWallet: true,
    async request({ method, params }) {
      const answer = JSON.parse(await window.__dseqWallet(method, JSON.stringify(params ?? [])));
      if (answer.error) {
        const error = new Error(answer.error.message);
        error.code = answer.error.code;
        if (answer.error.data !== undefined) error.data = answer.error.data;
        throw error;
      }
      return answer.result;
    },
    on(event, listener) { (listeners[event] = listeners[event] || []).push(listener); },
    removeListener(event, listener) { listeners[event] = (listeners[event] || []).filter((l) => l !== listener); },
  };
  window.__dseqWalletEmit = (event, value) => (listeners[event] || []).forEach((l) => l(value));
  const info = Object.freeze({
    uuid: '6f3c7e2a-9b1d-4c8e-a5f0-2d7b9e4c1a3f',
    name: 'dseq test wallet',
    icon: 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 viewBox=%220 0 10 10%22%3E%3Crect width=%2210%22 height=%2210%22 fill=%22%2314506e%22/%3E%3C/svg%3E',
    rdns: 'org.dseq.testwallet',
  });
  const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider }) }));
  window.addEventListener('eip6963:requestProvider', announce);
  announce();
})();`;

const rejected = { code: 4001, message: 'User rejected the request.' };

export class TestWallet {
  /** `keys`: the accounts it holds (the first is selected); it starts on chain 1. */
  constructor({ nodeUrl, keys, chainId }) {
    this.nodeUrl = nodeUrl;
    this.accounts = keys.map((k) => privateKeyToAccount(k));
    this.selected = 0;
    this.chainId = 1;
    this.known = new Set([1]);
    this.target = chainId;
    this.rejectNext = false;
    this.down = false;
    this.connected = false;
    this.requests = [];
    this.page = undefined;
  }

  get account() {
    return this.accounts[this.selected];
  }

  /** Installs the wallet in `page` (before it loads). */
  async install(page) {
    this.page = page;
    await page.exposeFunction('__dseqWallet', async (method, params) => JSON.stringify(await this.answer(method, JSON.parse(params))));
    await page.addInitScript({ content: INIT_SCRIPT });
  }

  /** Selects another account, as a person does in the wallet's menu. */
  async select(index) {
    this.selected = index;
    await this.page.evaluate((address) => window.__dseqWalletEmit('accountsChanged', [address]), this.account.address);
  }

  async answer(method, params) {
    this.requests.push(method);
    try {
      return { result: await this.handle(method, params) };
    } catch (error) {
      return { error: { code: error.code ?? -32603, message: error.message ?? String(error), data: error.data } };
    }
  }

  prompt() {
    if (this.rejectNext) {
      this.rejectNext = false;
      throw rejected;
    }
  }

  async handle(method, params) {
    switch (method) {
      case 'eth_requestAccounts':
        this.prompt();
        this.connected = true;
        return [this.account.address];
      case 'eth_accounts':
        return this.connected ? [this.account.address] : [];
      case 'eth_chainId':
        return numberToHex(this.chainId);
      case 'wallet_switchEthereumChain': {
        this.prompt();
        const id = Number(params[0].chainId);
        if (!this.known.has(id)) throw { code: 4902, message: `Unrecognized chain ID ${params[0].chainId}. Try adding the chain using wallet_addEthereumChain first.` };
        this.chainId = id;
        await this.page.evaluate((hex) => window.__dseqWalletEmit('chainChanged', hex), numberToHex(id));
        return null;
      }
      case 'wallet_addEthereumChain': {
        this.prompt();
        const chain = params[0];
        // As MetaMask does: the RPC given must answer with the chain id given.
        const answer = await this.node('eth_chainId', [], chain.rpcUrls[0]);
        if (Number(answer) !== Number(chain.chainId)) throw { code: -32602, message: `the RPC at ${chain.rpcUrls[0]} answers chain ${answer}, not ${chain.chainId}` };
        this.known.add(Number(chain.chainId));
        this.addedChain = chain;
        return null;
      }
      case 'eth_sendTransaction': {
        this.prompt();
        if (this.chainId !== this.target) throw { code: 4901, message: `the wallet is on chain ${this.chainId}` };
        const tx = params[0];
        const client = createWalletClient({ account: this.account, transport: http(this.nodeUrl) });
        const chain = { id: this.target, name: 'dseq', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [this.nodeUrl] } } };
        return client.sendTransaction({
          chain,
          to: tx.to,
          data: tx.data ?? tx.input,
          value: tx.value ? hexToBigInt(tx.value) : undefined,
          gas: tx.gas ? hexToBigInt(tx.gas) : undefined,
        });
      }
      case 'eth_signTypedData_v4': {
        this.prompt();
        const typed = typeof params[1] === 'string' ? JSON.parse(params[1]) : params[1];
        const { EIP712Domain: _, ...types } = typed.types;
        return this.account.signTypedData({ domain: typed.domain, types, primaryType: typed.primaryType, message: typed.message });
      }
      case 'personal_sign':
        this.prompt();
        return this.account.signMessage({ message: { raw: params[0] } });
      default:
        return this.node(method, params);
    }
  }

  /** A JSON-RPC call to the node (or to `url`); fails as an unreachable RPC does while `down`. */
  async node(method, params, url = this.nodeUrl) {
    if (this.down) throw { code: -32603, message: 'Failed to fetch: the RPC is not reachable' };
    const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    const body = await answer.json();
    if (body.error) throw body.error;
    return body.result;
  }
}
