//! The registry's only program (`lst-registry`), the implementation behind its proxy: a thin
//! shell over [`crate::logic`].

use alloc::string::String;

use alloy_primitives::{Address, U256};
use dseq_kit::store;

use crate::{logic, Error, LstRegistry, Revert};

#[dseq_program::public(program = 0, programs = 1)]
impl LstRegistry {
    /// Runs once, on the implementation: nobody may initialize the bare implementation.
    #[constructor]
    pub fn constructor(&mut self) {
        self.initializable.disable();
    }

    /// Sets up a proxy (see `ILstRegistry.initialize`). Once only.
    pub fn initialize(&mut self, governance: Address, pool: Address, max_pairings_per_lst: u32) -> Result<(), Error> {
        self.initializable.initialize()?;
        self.setup(governance, pool, max_pairings_per_lst)
    }

    // ------------------------------------------------------------------------ governance

    pub fn approve_lst(&mut self, lst: Address, name: String, cap: U256) -> Result<(), Revert> {
        self.only_governance()?;
        self.approve(lst, &name, cap)
    }

    pub fn set_lst_cap(&mut self, lst: Address, cap: U256) -> Result<(), Revert> {
        self.only_governance()?;
        self.change_cap(lst, cap)
    }

    pub fn set_lst_status(&mut self, lst: Address, status: u8) -> Result<(), Revert> {
        self.only_governance()?;
        self.change_status(lst, status)
    }

    pub fn set_max_pairings_per_lst(&mut self, max_pairings: u32) -> Result<(), Error> {
        self.only_governance()?;
        self.apply_max_pairings(max_pairings)
    }

    // ------------------------------------------------------------------------ pairing

    pub fn offer_pairing(&mut self, sequencer_id: U256, lst: Address) -> Result<(), Revert> {
        self.offer(sequencer_id, lst)
    }

    pub fn accept_pairing(&mut self, sequencer_id: U256, lst: Address) -> Result<(), Revert> {
        self.accept(sequencer_id, lst)
    }

    pub fn unpair(&mut self, sequencer_id: U256) -> Result<(), Revert> {
        self.end_pairing(sequencer_id)
    }

    // ------------------------------------------------------------------------ views

    /// `(status, cap, pairings, approvedAt)`.
    pub fn lst_info(&self, lst: Address) -> (u8, U256, u32, u64) {
        let entry = self.lsts.getter(lst);
        (
            store::u8(&entry.status),
            store::u96(&entry.cap),
            store::u32(&entry.pairings),
            store::u64(&entry.approved_at),
        )
    }

    pub fn lst_name(&self, lst: Address) -> String {
        logic::name_text(self.lsts.getter(lst).name.get())
    }

    /// The LST approved under `name` (zero: none, or not a valid name): front-ends and
    /// `dseq lst approve` check a name in one read.
    pub fn lst_of_name(&self, name: String) -> Address {
        logic::name_word(&name).map(|word| self.names.get(word)).unwrap_or_default()
    }

    pub fn lst_count(&self) -> U256 {
        U256::from(store::u32(&self.lst_count))
    }

    /// Zero past the end.
    pub fn lst_at(&self, index: U256) -> Address {
        self.lst_list.get(index)
    }

    /// `(lst, pairedAt, offeredLst, offeredBy)`.
    pub fn pairing(&self, sequencer_id: U256) -> (Address, u64, Address, Address) {
        let p = self.pairings.getter(sequencer_id);
        (p.lst.get(), store::u64(&p.paired_at), p.offered_lst.get(), p.offered_by.get())
    }

    pub fn max_pairings_per_lst(&self) -> u32 {
        store::u32(&self.max_pairings_per_lst)
    }

    pub fn governance(&self) -> Address {
        self.governance.get()
    }

    pub fn pool(&self) -> Address {
        self.pool.get()
    }
}
