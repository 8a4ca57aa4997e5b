mod draft;
mod text;
