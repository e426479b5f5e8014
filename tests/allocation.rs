//! The simulation loop does not allocate: after a world has been warmed up
//! by some runs, further runs reuse its memory. Counted with a global
//! allocator that counts the allocations of the current thread only, so
//! tests running on other threads do not disturb the count.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use backsim::model::{NoObserver, World};
use backsim::scenario::{self, builtin};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is passed on to the system allocator unchanged; the
// counter is a const-initialised thread-local `Cell`, which does not
// allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// Allocations in runs `warm..warm + runs` of a scenario, after runs
/// `0..warm` on the same world.
fn allocations_after_warm_up(name: &str, warm: u64, runs: u64) -> u64 {
    let s = scenario::load(Some(name), &[]).expect("built-in scenario");
    let mut world = World::new(&s);
    for run in 0..warm {
        world.run_seeded(s.seed, 0, run, &mut NoObserver);
    }
    let before = allocations();
    for run in warm..warm + runs {
        std::hint::black_box(world.run_seeded(s.seed, 0, run, &mut NoObserver));
    }
    allocations() - before
}

#[test]
fn runs_after_warm_up_allocate_nothing() {
    for name in builtin::names() {
        let (warm, runs) = if name == "national-elderly-care" {
            (20, 20)
        } else {
            (500, 500)
        };
        assert_eq!(
            allocations_after_warm_up(name, warm, runs),
            0,
            "{name}: runs {warm}..{} allocated",
            warm + runs
        );
    }
}

#[test]
fn the_counter_sees_allocations() {
    let before = allocations();
    let v: Vec<u64> = std::hint::black_box(Vec::with_capacity(10));
    drop(v);
    assert_eq!(allocations() - before, 1);
}
