mod file;
mod rules;
mod update;
