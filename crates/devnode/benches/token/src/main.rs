#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#[cfg(not(any(test, feature = "export-abi")))]
#[unsafe(no_mangle)]
pub extern "C" fn main() {}
#[cfg(feature = "export-abi")]
fn main() {
    devnode_bench_token::print_from_args();
}
