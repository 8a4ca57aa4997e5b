mod damaged;
mod entries;
mod journal_file;
mod migrations;
mod outbox;
mod search;
mod timeline;
