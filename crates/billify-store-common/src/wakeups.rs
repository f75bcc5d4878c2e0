//! The listeners a store wakes when events are published in its process (see
//! `billify_ports::events`): kept as weak references, dropped once their owner is gone.

use std::sync::{Mutex, Weak};

use billify_domain::OrganisationId;
use billify_ports::EventListener;

/// The listeners of one store (shared by its clones).
#[derive(Default)]
pub struct Listeners {
    listeners: Mutex<Vec<Weak<dyn EventListener>>>,
}

impl Listeners {
    /// Adds a listener.
    pub fn add(&self, listener: Weak<dyn EventListener>) {
        if let Ok(mut listeners) = self.listeners.lock() {
            listeners.retain(|l| l.strong_count() > 0);
            listeners.push(listener);
        }
    }

    /// Tells every live listener that `organisation`'s events up to `last_id` are committed.
    pub fn published(&self, organisation: OrganisationId, last_id: i64) {
        for listener in self.live() {
            listener.published(organisation, last_id);
        }
    }

    /// Tells every live listener to read the log again.
    pub fn resync(&self) {
        for listener in self.live() {
            listener.resync();
        }
    }

    /// The listeners still alive, outside the lock (a listener may publish in turn).
    fn live(&self) -> Vec<std::sync::Arc<dyn EventListener>> {
        match self.listeners.lock() {
            Ok(listeners) => listeners.iter().filter_map(Weak::upgrade).collect(),
            Err(_) => Vec::new(),
        }
    }
}

impl std::fmt::Debug for Listeners {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Listeners")
    }
}
