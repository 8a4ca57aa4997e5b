-- A stand-in for the small part of Supabase that migrations/server relies on, for tests on a
-- plain PostgreSQL 15. Supabase provides all of this itself: never apply this file there.
-- Applied by the cluster's superuser (`supabase_admin`, as on Supabase), before
-- migrations/server/*.sql, which then run as `postgres`: like Supabase's, not a superuser, with
-- CREATEROLE and BYPASSRLS, owning neither `auth.*` nor `storage.*`.

create role postgres login createrole bypassrls;
-- As on Supabase, postgres owns the database, so `public` (owned by pg_database_owner) is its.
alter database postgres owner to postgres;

-- API roles (PostgREST switches to one per request) and the login role it connects as.
-- As on Supabase: the API roles INHERIT; the login role PostgREST uses does not.
create role anon nologin inherit;
create role authenticated nologin inherit;
create role service_role nologin inherit bypassrls;
create role authenticator login noinherit;
grant anon, authenticated, service_role to authenticator;

create schema auth;
grant usage on schema auth to anon, authenticated, service_role, postgres;

create table auth.users (
    id                 uuid primary key,
    email              text unique,
    encrypted_password text,
    created_at         timestamptz default now(),
    updated_at         timestamptz default now()
);

create table auth.refresh_tokens (
    id         bigserial primary key,
    token      text unique not null,
    user_id    uuid not null references auth.users on delete cascade,
    session_id uuid not null,
    revoked    boolean not null default false,
    parent     text,
    created_at timestamptz default now(),
    updated_at timestamptz default now()
);

-- Tables of the sync schema reference their owner.
grant references, select on auth.users to postgres;

-- The caller's user id from the JWT claims, as Supabase defines it: the old per-claim setting
-- `request.jwt.claim.sub` first, then `request.jwt.claims` (what PostgREST sets today).
create function auth.uid() returns uuid language sql stable as $$
    select coalesce(
        nullif(current_setting('request.jwt.claim.sub', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
    )::uuid
$$;

create function auth.role() returns text language sql stable as $$
    select nullif(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role', '')
$$;

grant usage on schema public to anon, authenticated, service_role;
-- Supabase's statement timeouts per API role; PostgREST applies a role's settings when it
-- switches to it (the stand-in's rpc does the same).
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
-- Supabase's default privileges: every table, sequence and function created in `public` is
-- granted to the API roles, so a migration that does not revoke what it means to keep private
-- is exposed through /rest/v1 (migrations/server revoke and grant explicitly).
alter default privileges for role postgres in schema public
    grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
    grant all on sequences to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
    grant all on functions to anon, authenticated, service_role;

-- Supabase Storage's schema, only what migrations/server uses (buckets, objects, foldername).
-- On Supabase the storage service owns these, with row-level security on objects.
-- Owned by the storage service's role. Supabase lets `postgres` add a bucket and create
-- policies on storage.objects (migration 0006); here that allowance is `postgres`'s
-- membership in the owning role.
create role supabase_storage_admin nologin noinherit;
grant supabase_storage_admin to postgres;
create schema storage authorization supabase_storage_admin;
grant usage on schema storage to anon, authenticated, service_role, postgres;

create table storage.buckets (
    id                 text primary key,
    name               text not null unique,
    owner              uuid,
    public             boolean default false,
    file_size_limit    bigint,
    allowed_mime_types text[],
    created_at         timestamptz default now(),
    updated_at         timestamptz default now()
);

-- The columns of Supabase's storage.objects (`owner` is deprecated for `owner_id`).
create table storage.objects (
    id               uuid primary key default gen_random_uuid(),
    bucket_id        text references storage.buckets (id),
    name             text,
    owner            uuid,
    created_at       timestamptz default now(),
    updated_at       timestamptz default now(),
    last_accessed_at timestamptz default now(),
    metadata         jsonb,
    path_tokens      text[] generated always as (string_to_array(name, '/')) stored,
    version          text,
    owner_id         text,
    user_metadata    jsonb,
    unique (bucket_id, name)
);
alter table storage.objects enable row level security;

-- Like Supabase: rows of storage.objects are deleted through the Storage API (which removes
-- the file too), never by a direct DELETE.
create function storage.protect_delete() returns trigger language plpgsql as $$
begin
    if coalesce(current_setting('storage.allow_delete_query', true), 'false') <> 'true' then
        raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
            using hint = 'This prevents accidental data loss from orphaned objects.',
                  errcode = '42501';
    end if;
    return null;
end
$$;
create trigger protect_objects_delete before delete on storage.objects
    for each statement execute function storage.protect_delete();
grant select on storage.buckets to anon, authenticated, service_role;
grant select, insert, update, delete on storage.objects to anon, authenticated, service_role;

-- `a/b/c.wav` → {a,b}: the folders of an object's name, as Supabase defines it.
create function storage.foldername(name text) returns text[] language plpgsql immutable as $$
declare
    _parts text[];
begin
    select string_to_array(name, '/') into _parts;
    return _parts[1:array_length(_parts, 1) - 1];
end
$$;

alter table storage.buckets owner to supabase_storage_admin;
alter table storage.objects owner to supabase_storage_admin;
alter function storage.foldername(text) owner to supabase_storage_admin;
alter function storage.protect_delete() owner to supabase_storage_admin;
