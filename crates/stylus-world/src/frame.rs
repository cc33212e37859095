use std::{cell::RefCell, rc::Rc, slice};

use alloy_primitives::{keccak256, Address, B256, U256};
use stylus_sdk::stylus_core::{
    AccountAccess, BlockAccess, CalldataAccess, ChainAccess, CryptographyAccess, Host, MemoryAccess,
    MessageAccess, MeteringAccess, RawLogAccess, StorageAccess, UnsafeCallAccess,
    UnsafeDeploymentAccess,
};

use crate::world::{Log, Message, World};

/// The host a contract sees while one of its calls runs: its address, its caller, the value,
/// and the return data of the last call it made.
#[derive(Clone)]
pub struct Frame {
    pub(crate) world: World,
    pub(crate) this: Address,
    pub(crate) sender: Address,
    pub(crate) origin: Address,
    pub(crate) value: U256,
    pub(crate) is_static: bool,
    reentrant: bool,
    return_data: Rc<RefCell<Vec<u8>>>,
    static_violation: Rc<RefCell<bool>>,
}

impl Frame {
    pub(crate) fn new(world: World, msg: &Message, reentrant: bool) -> Self {
        Self {
            world,
            this: msg.storage_address,
            sender: msg.sender,
            origin: msg.origin,
            value: msg.value,
            is_static: msg.is_static,
            reentrant,
            return_data: Rc::default(),
            static_violation: Rc::default(),
        }
    }

    /// Whether the frame tried to write state during a static call (which must revert it).
    pub(crate) fn wrote_in_static_context(&self) -> bool {
        *self.static_violation.borrow()
    }

    fn finish(&self, result: Result<Vec<u8>, Vec<u8>>, outs_len: &mut usize) -> u8 {
        let (data, status) = match result {
            Ok(data) => (data, 0),
            Err(data) => (data, 1),
        };
        *outs_len = data.len();
        *self.return_data.borrow_mut() = data;
        status
    }

    fn sub_call(&self, to: Address, input: Vec<u8>, value: U256, is_static: bool) -> Result<Vec<u8>, Vec<u8>> {
        self.world.execute(Message {
            caller: self.this,
            code_address: to,
            storage_address: to,
            sender: self.this,
            value,
            origin: self.origin,
            is_static: self.is_static || is_static,
            is_delegate: false,
            input,
        })
    }
}

unsafe fn address_at(ptr: *const u8) -> Address {
    Address::from_slice(slice::from_raw_parts(ptr, 20))
}

impl Host for Frame {}

impl CryptographyAccess for Frame {
    fn native_keccak256(&self, input: &[u8]) -> B256 {
        keccak256(input)
    }
}

impl CalldataAccess for Frame {
    fn read_args(&self, _len: usize) -> Vec<u8> {
        // The router receives its input directly; only the wasm entrypoint reads args.
        Vec::new()
    }
    fn read_return_data(&self, offset: usize, size: Option<usize>) -> Vec<u8> {
        let data = self.return_data.borrow();
        let start = offset.min(data.len());
        let end = size.map_or(data.len(), |size| start.saturating_add(size).min(data.len()));
        data[start..end].to_vec()
    }
    fn return_data_size(&self) -> usize {
        self.return_data.borrow().len()
    }
    fn write_result(&self, _data: &[u8]) {}
}

unsafe impl UnsafeDeploymentAccess for Frame {
    unsafe fn create1(&self, _: *const u8, _: usize, _: *const u8, contract: *mut u8, revert_data_len: *mut usize) {
        // Deployment from contracts is not modelled: report failure (zero address).
        std::ptr::write_bytes(contract, 0, 20);
        *revert_data_len = 0;
    }
    unsafe fn create2(
        &self,
        _: *const u8,
        _: usize,
        _: *const u8,
        _: *const u8,
        contract: *mut u8,
        revert_data_len: *mut usize,
    ) {
        std::ptr::write_bytes(contract, 0, 20);
        *revert_data_len = 0;
    }
}

impl StorageAccess for Frame {
    fn storage_load_bytes32(&self, key: U256) -> B256 {
        self.world.storage(self.this, key)
    }
    unsafe fn storage_cache_bytes32(&self, key: U256, value: B256) {
        if self.is_static {
            *self.static_violation.borrow_mut() = true;
            return;
        }
        self.world.set_storage(self.this, key, value);
    }
    fn flush_cache(&self, _clear: bool) {}
}

unsafe impl UnsafeCallAccess for Frame {
    unsafe fn call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        value: *const u8,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let to = address_at(to);
        let input = slice::from_raw_parts(data, data_len).to_vec();
        let value = U256::from_be_slice(slice::from_raw_parts(value, 32));
        self.finish(self.sub_call(to, input, value, false), outs_len)
    }
    unsafe fn static_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let to = address_at(to);
        let input = slice::from_raw_parts(data, data_len).to_vec();
        self.finish(self.sub_call(to, input, U256::ZERO, true), outs_len)
    }
    unsafe fn delegate_call_contract(
        &self,
        to: *const u8,
        data: *const u8,
        data_len: usize,
        _gas: u64,
        outs_len: &mut usize,
    ) -> u8 {
        let code_address = address_at(to);
        let input = slice::from_raw_parts(data, data_len).to_vec();
        let result = self.world.execute(Message {
            caller: self.this,
            code_address,
            storage_address: self.this,
            sender: self.sender,
            value: self.value,
            origin: self.origin,
            is_static: self.is_static,
            is_delegate: true,
            input,
        });
        self.finish(result, outs_len)
    }
}

impl BlockAccess for Frame {
    fn block_basefee(&self) -> U256 {
        U256::ZERO
    }
    fn block_coinbase(&self) -> Address {
        Address::ZERO
    }
    fn block_number(&self) -> u64 {
        self.world.block_number()
    }
    fn block_timestamp(&self) -> u64 {
        self.world.timestamp()
    }
    fn block_gas_limit(&self) -> u64 {
        30_000_000
    }
}

impl ChainAccess for Frame {
    fn chain_id(&self) -> u64 {
        self.world.chain_id()
    }
}

impl AccountAccess for Frame {
    fn balance(&self, account: Address) -> U256 {
        self.world.balance(account)
    }
    fn contract_address(&self) -> Address {
        self.this
    }
    fn code(&self, account: Address) -> Vec<u8> {
        // Native code has no bytes; a placeholder byte stands for "has code".
        if self.world.has_code(account) { vec![0xfe] } else { Vec::new() }
    }
    fn code_size(&self, account: Address) -> usize {
        self.code(account).len()
    }
    fn code_hash(&self, account: Address) -> B256 {
        keccak256(self.code(account))
    }
}

impl MemoryAccess for Frame {
    fn pay_for_memory_grow(&self, _pages: u16) {}
}

impl MessageAccess for Frame {
    fn msg_sender(&self) -> Address {
        self.sender
    }
    fn msg_reentrant(&self) -> bool {
        self.reentrant
    }
    fn msg_value(&self) -> U256 {
        self.value
    }
    fn tx_origin(&self) -> Address {
        self.origin
    }
}

impl MeteringAccess for Frame {
    fn evm_gas_left(&self) -> u64 {
        u64::MAX / 2
    }
    fn evm_ink_left(&self) -> u64 {
        u64::MAX / 2
    }
    fn tx_gas_price(&self) -> U256 {
        U256::ZERO
    }
    fn tx_ink_price(&self) -> u32 {
        10_000
    }
}

impl RawLogAccess for Frame {
    fn emit_log(&self, input: &[u8], num_topics: usize) {
        let split = (num_topics * 32).min(input.len());
        let topics = input[..split].chunks(32).map(B256::from_slice).collect();
        self.push(topics, input[split..].to_vec());
    }
    fn raw_log(&self, topics: &[B256], data: &[u8]) -> Result<(), &'static str> {
        if topics.len() > 4 {
            return Err("too many topics");
        }
        self.push(topics.to_vec(), data.to_vec());
        Ok(())
    }
}

impl Frame {
    fn push(&self, topics: Vec<B256>, data: Vec<u8>) {
        if self.is_static {
            *self.static_violation.borrow_mut() = true;
            return;
        }
        self.world.push_log(Log { address: self.this, topics, data });
    }
}
