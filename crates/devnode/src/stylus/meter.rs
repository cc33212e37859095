//! Ink metering as nitro instruments a Stylus program at activation.
//!
//! Nitro does not count instructions as they run: it rewrites the program. Two globals are
//! added, the ink left (`stylus_ink_left`, i64) and a status (`stylus_ink_status`, i32), and
//! every basic block of every function is prefixed with a header that pays for the whole block
//! before any of it runs:
//!
//! ```text
//! if ink < cost { status = 1; unreachable }
//! ink -= cost
//! ```
//!
//! `cost` is the sum of the block's opcode prices ([`opcode_ink`]) plus the header's own
//! [`HEADER_INK`]. A block ends at `end`, `else`, `return`, `loop`, `br`, `br_if`, `br_table`,
//! `if`, `call` and `call_indirect` (the terminator is part of the block it ends; `block` and
//! `unreachable` do not end one), so a loop body pays again on every iteration. `memory.copy`
//! and `memory.fill` also pay per byte, just before they run ([`BULK_MEMORY_INK_PER_BYTE`]).
//! Floats and other opcodes nitro does not price cost `u64::MAX`: a block holding one always
//! runs out of ink when reached. The host reads and writes the two globals to charge hostios.
//!
//! This module reproduces that rewrite with `wasmparser`/`wasm-encoder` (the numbers are
//! nitro's: `crates/prover/src/programs/meter.rs` `pricing_v1`, and `dynamic.rs`, at
//! `6dce8d1`), and the costs nitro computes at activation for charging each call
//! ([`ProgramInfo`]: `crates/prover/src/binary.rs`).

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{BlockType, ConstExpr, ExportKind, GlobalType, Instruction, ValType as EncValType};
use wasmparser::{Operator, Parser, Payload};

/// The exported global holding the ink left.
pub const INK_LEFT: &str = "stylus_ink_left";
/// The exported global set to 1 when the program ran out of ink.
pub const INK_STATUS: &str = "stylus_ink_status";
/// The ink of a block's header (nitro's `ink_header_cost`).
pub const HEADER_INK: u64 = 2_450;
/// Ink per byte of `memory.copy` and `memory.fill` (nitro's `memory_copy_ink`, `800 / 8`).
pub const BULK_MEMORY_INK_PER_BYTE: u64 = 100;
/// Globals nitro adds when it instruments a program (ink, status, the bulk-memory scratch and
/// the stack-depth counter): they count in [`ProgramInfo`]'s costs. This node adds the first
/// three; it bounds stack depth another way.
pub const ADDED_GLOBALS: u64 = 4;

/// What nitro computes at activation to price each call of the program.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProgramInfo {
    /// Initial memory, in 64 KiB pages.
    pub footprint: u16,
    /// Units of the init cost, paid when the program is not cached.
    pub init_cost: u16,
    /// Units of the cached init cost, paid when it is (and always from Stylus version 2).
    pub cached_init_cost: u16,
}

impl ProgramInfo {
    /// The gas a call of the program (activated at Stylus `version`) pays for its init, as
    /// nitro's `CallProgram` charges it: the cached init cost when `cached` (by the chain, or
    /// called earlier in the block) and always from version 2, the full init cost when not.
    pub fn init_gas(&self, version: u16, cached: bool) -> u64 {
        let mut gas = 0u64;
        if cached || version > 1 {
            gas = gas.saturating_add(crate::gas::cached_init_gas(self.cached_init_cost));
        }
        if !cached {
            gas = gas.saturating_add(crate::gas::init_gas(self.init_cost));
        }
        gas
    }
}

/// A program rewritten for metering, and its activation costs.
#[derive(Clone, Debug)]
pub struct Instrumented {
    pub wasm: Vec<u8>,
    pub info: ProgramInfo,
}

/// The ink an opcode costs (nitro's `pricing_v1`). `sigs` are the module's function types as
/// `(inputs, outputs)`, for `call_indirect`.
pub fn opcode_ink(op: &Operator, sigs: &[(u32, u32)]) -> u64 {
    use Operator::*;
    match op {
        Unreachable | Return | Nop | I32Const { .. } | I64Const { .. } => 1,
        Block { .. } | Loop { .. } | Else | End => 1,
        Drop => 9,
        Br { .. } | BrIf { .. } | If { .. } => 765,
        BrTable { targets } => 2_400 + 325 * u64::from(targets.len()),
        Select => 1_250,
        Call { .. } => 3_800,
        CallIndirect { type_index, .. } => {
            let inputs = sigs.get(*type_index as usize).map_or(0, |s| s.0);
            13_610 + 650 * u64::from(inputs)
        }
        LocalGet { .. } | LocalTee { .. } => 75,
        LocalSet { .. } => 210,
        GlobalGet { .. } => 225,
        GlobalSet { .. } => 575,
        I32Load { .. } | I32Load8S { .. } | I32Load8U { .. } | I32Load16S { .. } | I32Load16U { .. } => 670,
        I64Load { .. } | I64Load8S { .. } | I64Load8U { .. } | I64Load16S { .. } | I64Load16U { .. } | I64Load32S { .. } | I64Load32U { .. } => 680,
        I32Store { .. } | I32Store8 { .. } | I32Store16 { .. } => 825,
        I64Store { .. } | I64Store8 { .. } | I64Store16 { .. } | I64Store32 { .. } => 950,
        MemorySize { .. } => 3_000,
        MemoryGrow { .. } => 8_050,
        I32Eqz | I32Eq | I32Ne | I32LtS | I32LtU | I32GtS | I32GtU | I32LeS | I32LeU | I32GeS | I32GeU => 170,
        I64Eqz | I64Eq | I64Ne | I64LtS | I64LtU | I64GtS | I64GtU | I64LeS | I64LeU | I64GeS | I64GeU => 225,
        I32Clz | I32Ctz | I64Clz | I64Ctz => 210,
        I32Add | I32Sub => 70,
        I64Add | I64Sub => 100,
        I32Mul | I64Mul => 160,
        I32DivS | I32DivU | I32RemS | I32RemU => 1_120,
        I64DivS | I64DivU | I64RemS | I64RemU => 1_270,
        I32And | I32Or | I32Xor | I32Shl | I32ShrS | I32ShrU | I32Rotl | I32Rotr => 70,
        I64And | I64Or | I64Xor | I64Shl | I64ShrS | I64ShrU | I64Rotl | I64Rotr => 100,
        I32Popcnt => 2_650,
        I64Popcnt => 6_000,
        I32WrapI64 | I64ExtendI32S | I64ExtendI32U => 100,
        I32Extend8S | I32Extend16S | I64Extend8S | I64Extend16S | I64Extend32S => 100,
        MemoryCopy { .. } | MemoryFill { .. } => 950,
        // Floats, SIMD, atomics, references and everything else nitro does not price.
        _ => u64::MAX,
    }
}

/// Whether `op` ends a basic block (it is then the last op the block's header pays for).
pub fn ends_basic_block(op: &Operator) -> bool {
    use Operator::*;
    matches!(op, End | Else | Return | Loop { .. } | Br { .. } | BrTable { .. } | BrIf { .. } | If { .. } | Call { .. } | CallIndirect { .. })
}

/// The module's shape, read before rewriting it.
#[derive(Default)]
struct Shape {
    /// Every function type as `(inputs, outputs)`.
    sigs: Vec<(u32, u32)>,
    /// The type of each function the module defines.
    functions: Vec<u32>,
    imported_globals: u32,
    defined_globals: u32,
    footprint: u64,
    /// Bytes of the data segments and element segments, as nitro measures them.
    segments_len: u64,
    codes: u64,
}

fn shape(wasm: &[u8]) -> Result<Shape, String> {
    let mut s = Shape::default();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| e.to_string())? {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty.map_err(|e| e.to_string())?;
                    s.sigs.push((ty.params().len() as u32, ty.results().len() as u32));
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    if let wasmparser::TypeRef::Global(_) = import.map_err(|e| e.to_string())?.ty {
                        s.imported_globals += 1;
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    s.functions.push(ty.map_err(|e| e.to_string())?);
                }
            }
            Payload::GlobalSection(reader) => s.defined_globals = reader.count(),
            Payload::MemorySection(reader) => {
                if let Some(memory) = reader.into_iter().next() {
                    s.footprint = memory.map_err(|e| e.to_string())?.initial;
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.map_err(|e| e.to_string())?;
                    s.segments_len += data.range.end - data.range.start;
                }
            }
            Payload::ElementSection(reader) => {
                for element in reader {
                    let element = element.map_err(|e| e.to_string())?;
                    s.segments_len += element.range.end - element.range.start;
                }
            }
            Payload::CodeSectionEntry(_) => s.codes += 1,
            _ => {}
        }
    }
    Ok(s)
}

/// The init and cached-init cost units nitro stores at activation for a program of Stylus
/// `version` (`binary.rs`, `instrument`): each term rounds down on its own.
pub fn program_info(wasm: &[u8], version: u16) -> Result<ProgramInfo, String> {
    let s = shape(wasm)?;
    let funcs = s.codes;
    let type_len: u64 = s.functions.iter().map(|ty| s.sigs.get(*ty as usize).map_or(0, |(i, o)| u64::from(i + o))).sum();
    let wasm_len = wasm.len() as u64;
    let globals = u64::from(s.defined_globals) + ADDED_GLOBALS;
    let footprint = u16::try_from(s.footprint).map_err(|_| "memory too large".to_string())?;
    let mut cached: u64 = 0;
    cached = cached.saturating_add(funcs.saturating_mul(13_420) / 100_000);
    cached = cached.saturating_add(type_len.saturating_mul(89) / 100_000);
    cached = cached.saturating_add(wasm_len.saturating_mul(122) / 100_000);
    cached = cached.saturating_add(globals.saturating_mul(1_628) / 1_000);
    cached = cached.saturating_add(s.segments_len.saturating_mul(75_244) / 100_000);
    cached = cached.saturating_add(u64::from(footprint) * 5);
    let mut init: u64 = if version == 1 { cached } else { 0 };
    init = init.saturating_add(funcs.saturating_mul(8_252) / 1_000);
    init = init.saturating_add(type_len.saturating_mul(1_059) / 1_000);
    init = init.saturating_add(wasm_len.saturating_mul(1_286) / 10_000);
    Ok(ProgramInfo {
        footprint,
        init_cost: u16::try_from(init).map_err(|_| "init cost too high".to_string())?,
        cached_init_cost: u16::try_from(cached).map_err(|_| "cached cost too high".to_string())?,
    })
}

/// The rewriter: every section as it was, plus the metering globals, their exports and a
/// header before every basic block.
struct Meter {
    sigs: Vec<(u32, u32)>,
    /// The index of the first added global (ink; then status, then the bulk-memory scratch).
    ink: u32,
    globals_added: bool,
}

impl Meter {
    fn status(&self) -> u32 {
        self.ink + 1
    }

    fn scratch(&self) -> u32 {
        self.ink + 2
    }

    fn add_globals(&mut self, globals: &mut wasm_encoder::GlobalSection) {
        let mutable = |val_type| GlobalType { val_type, mutable: true, shared: false };
        globals.global(mutable(EncValType::I64), &ConstExpr::i64_const(0));
        globals.global(mutable(EncValType::I32), &ConstExpr::i32_const(0));
        globals.global(mutable(EncValType::I32), &ConstExpr::i32_const(0));
        self.globals_added = true;
    }

    /// `if ink < cost { status = 1; unreachable } ink -= cost`
    fn header(&self, f: &mut wasm_encoder::Function, cost: u64) {
        let cost = cost as i64; // u64::MAX becomes -1: always more than the ink left
        f.instruction(&Instruction::GlobalGet(self.ink));
        f.instruction(&Instruction::I64Const(cost));
        f.instruction(&Instruction::I64LtU);
        self.trap_if(f);
        f.instruction(&Instruction::GlobalGet(self.ink));
        f.instruction(&Instruction::I64Const(cost));
        f.instruction(&Instruction::I64Sub);
        f.instruction(&Instruction::GlobalSet(self.ink));
    }

    /// `if <top> { status = 1; unreachable }`
    fn trap_if(&self, f: &mut wasm_encoder::Function) {
        f.instruction(&Instruction::If(BlockType::Empty));
        f.instruction(&Instruction::I32Const(1));
        f.instruction(&Instruction::GlobalSet(self.status()));
        f.instruction(&Instruction::Unreachable);
        f.instruction(&Instruction::End);
    }

    /// Before `memory.copy`/`memory.fill` (size on top of the stack): pays 100 ink per byte,
    /// trapping when that takes more than is left, and leaves the size where it was.
    fn bulk_memory(&self, f: &mut wasm_encoder::Function) {
        f.instruction(&Instruction::GlobalSet(self.scratch()));
        f.instruction(&Instruction::GlobalGet(self.ink));
        f.instruction(&Instruction::GlobalGet(self.ink));
        f.instruction(&Instruction::GlobalGet(self.scratch()));
        f.instruction(&Instruction::I64ExtendI32U);
        f.instruction(&Instruction::I64Const(BULK_MEMORY_INK_PER_BYTE as i64));
        f.instruction(&Instruction::I64Mul);
        f.instruction(&Instruction::I64Sub);
        f.instruction(&Instruction::GlobalSet(self.ink));
        f.instruction(&Instruction::GlobalGet(self.ink));
        // old < new: the subtraction wrapped
        f.instruction(&Instruction::I64LtU);
        self.trap_if(f);
        f.instruction(&Instruction::GlobalGet(self.scratch()));
    }
}

impl Reencode for Meter {
    type Error = String;

    fn parse_global_section(
        &mut self,
        globals: &mut wasm_encoder::GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> Result<(), reencode::Error<String>> {
        reencode::utils::parse_global_section(self, globals, section)?;
        self.add_globals(globals);
        Ok(())
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut wasm_encoder::Module,
        _after: Option<wasm_encoder::SectionId>,
        before: Option<wasm_encoder::SectionId>,
    ) -> Result<(), reencode::Error<String>> {
        use wasm_encoder::SectionId as S;
        // A module without globals gets a global section where one would stand.
        let past_globals = match before {
            None => true,
            Some(id) => matches!(id, S::Export | S::Start | S::Element | S::DataCount | S::Code | S::Data),
        };
        if past_globals && !self.globals_added {
            let mut globals = wasm_encoder::GlobalSection::new();
            self.add_globals(&mut globals);
            module.section(&globals);
        }
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut wasm_encoder::ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> Result<(), reencode::Error<String>> {
        reencode::utils::parse_export_section(self, exports, section)?;
        exports.export(INK_LEFT, ExportKind::Global, self.ink);
        exports.export(INK_STATUS, ExportKind::Global, self.status());
        Ok(())
    }

    fn parse_function_body(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        func: wasmparser::FunctionBody<'_>,
    ) -> Result<(), reencode::Error<String>> {
        let mut f = self.new_function_with_parsed_locals(&func)?;
        let mut reader = func.get_operators_reader()?;
        let mut block: Vec<Operator> = Vec::new();
        let mut cost: u64 = 0;
        while !reader.eof() {
            let op = reader.read()?;
            if matches!(
                op,
                Operator::MemoryInit { .. }
                    | Operator::DataDrop { .. }
                    | Operator::ElemDrop { .. }
                    | Operator::TableInit { .. }
                    | Operator::TableCopy { .. }
                    | Operator::TableFill { .. }
                    | Operator::TableGet { .. }
                    | Operator::TableSet { .. }
                    | Operator::TableGrow { .. }
                    | Operator::TableSize { .. }
            ) {
                return Err(reencode::Error::UserError(format!("opcode not supported: {op:?}")));
            }
            cost = cost.saturating_add(opcode_ink(&op, &self.sigs));
            let ends = ends_basic_block(&op);
            block.push(op);
            if ends {
                self.header(&mut f, cost.saturating_add(HEADER_INK));
                for op in block.drain(..) {
                    if matches!(op, Operator::MemoryCopy { .. } | Operator::MemoryFill { .. }) {
                        self.bulk_memory(&mut f);
                    }
                    f.instruction(&self.instruction(op)?);
                }
                cost = 0;
            }
        }
        code.function(&f);
        Ok(())
    }
}

/// Rewrites `wasm` for metering, as nitro does at activation, and computes its activation costs
/// for Stylus `version`. Fails on what nitro refuses to instrument.
pub fn instrument(wasm: &[u8], version: u16) -> Result<Instrumented, String> {
    let s = shape(wasm)?;
    let info = program_info(wasm, version)?;
    let mut meter = Meter { sigs: s.sigs, ink: s.imported_globals + s.defined_globals, globals_added: false };
    let mut module = wasm_encoder::Module::new();
    meter.parse_core_module(&mut module, Parser::new(0), wasm).map_err(|e| match e {
        reencode::Error::UserError(why) => why,
        other => other.to_string(),
    })?;
    Ok(Instrumented { wasm: module.finish(), info })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ink_of(wat_body: &str) -> u64 {
        let wasm = wat::parse_str(format!("(module (func {wat_body}))")).unwrap();
        let mut total = 0;
        for payload in Parser::new(0).parse_all(&wasm) {
            if let Ok(Payload::CodeSectionEntry(body)) = payload {
                for op in body.get_operators_reader().unwrap() {
                    total = opcode_ink(&op.unwrap(), &[]).saturating_add(total);
                }
            }
        }
        total
    }

    #[test]
    fn opcodes_cost_what_nitro_charges() {
        // i32.const, i32.const, i32.add, drop, end
        assert_eq!(ink_of("i32.const 1 i32.const 2 i32.add drop"), 1 + 1 + 70 + 9 + 1);
        // i64: const 1, const 1, div_u 1270, drop 9, end 1
        assert_eq!(ink_of("i64.const 1 i64.const 1 i64.div_u drop"), 1 + 1 + 1_270 + 9 + 1);
        // a br_table with two targets besides the default: 2400 + 2 x 325
        assert_eq!(ink_of("(block (block (block i32.const 0 br_table 0 1 2)))"), 1 + 1 + 1 + 1 + 2_400 + 650 + 1 + 1 + 1 + 1);
        // Floats are not priced: a block holding one can never be paid for.
        assert_eq!(ink_of("f32.const 1 drop"), u64::MAX);
    }

    #[test]
    fn blocks_end_where_nitro_ends_them() {
        let wasm = wat::parse_str("(module (func block nop end loop nop end i32.const 0 if nop end unreachable))").unwrap();
        let mut ends = Vec::new();
        for payload in Parser::new(0).parse_all(&wasm) {
            if let Ok(Payload::CodeSectionEntry(body)) = payload {
                for op in body.get_operators_reader().unwrap() {
                    let op = op.unwrap();
                    ends.push((format!("{op:?}").split_whitespace().next().unwrap_or("").trim_end_matches(['{', ' ']).to_string(), ends_basic_block(&op)));
                }
            }
        }
        let ending: Vec<&str> = ends.iter().filter(|(_, e)| *e).map(|(n, _)| n.as_str()).collect();
        assert_eq!(ending, ["End", "Loop", "End", "If", "End", "End"]);
        assert!(!ends.iter().any(|(n, e)| (n == "Block" || n == "Unreachable") && *e));
    }
}
