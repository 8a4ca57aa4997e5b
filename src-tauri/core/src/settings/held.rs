//! The settings in memory: read by every hotkey press and command without touching the disk,
//! changed under one lock so two updates of different fields never undo each other.

use super::{file, rules};
use crate::error::CoreError;
use crate::types::Settings;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

pub(crate) struct HeldSettings {
    path: PathBuf,
    /// `Err`: the file on disk is malformed. It is reported and never overwritten.
    current: Mutex<Result<Settings, String>>,
}

impl HeldSettings {
    pub(crate) fn load(path: PathBuf) -> Self {
        let current = file::load(&path).map_err(|e| e.user_message());
        if let Err(problem) = &current {
            tracing::warn!(
                problem,
                "settings file not usable; defaults until it is fixed"
            );
        }
        Self {
            path,
            current: Mutex::new(current),
        }
    }

    pub(crate) fn get(&self) -> Result<Settings, CoreError> {
        self.lock().clone().map_err(CoreError::InvalidInput)
    }

    /// Applies `change` to a copy, checks the rules, writes the file atomically and only
    /// then holds the new settings and calls `changed` (still under the lock, so listeners
    /// hear updates in the order they were made). Returns the settings.
    pub(crate) fn update(
        &self,
        change: impl FnOnce(&mut Settings) -> Result<(), CoreError>,
        changed: impl FnOnce(&Settings),
    ) -> Result<Settings, CoreError> {
        let mut current = self.lock();
        let before = current.clone().map_err(CoreError::InvalidInput)?;
        let mut next = before.clone();
        change(&mut next)?;
        rules::apply(&before, &mut next)?;
        if next != before {
            file::save(&self.path, &next)?;
            *current = Ok(next.clone());
            changed(&next);
        }
        Ok(next)
    }

    fn lock(&self) -> MutexGuard<'_, Result<Settings, String>> {
        self.current.lock().unwrap_or_else(|p| p.into_inner())
    }
}
