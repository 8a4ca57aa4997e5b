mod damaged;
mod entries;
mod migrations;
mod outbox;
mod search;
mod timeline;
