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

-- Supabase Realtime's schema, only what migrations/server uses: `realtime.messages` (the
-- table "Broadcast from the database" writes and private channels are authorised against),
-- `realtime.topic()` and `realtime.send()`. On Supabase the schema is made by supabase_admin
-- (supabase/postgres migrations), which also grants `postgres` every privilege on what it
-- creates there; Realtime's own migrations add the table and the functions, grant the API roles
-- select/insert/update on the table, and hand the objects to `supabase_realtime_admin`. Supabase
-- lets `postgres` create policies on realtime.messages (supautils' policy_grants, before that a
-- membership in supabase_realtime_admin); here that allowance is the membership.
create role supabase_realtime_admin nologin noinherit;
grant supabase_realtime_admin to postgres;
create schema realtime;
grant usage on schema realtime to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema realtime
    grant all on tables to postgres;
alter default privileges for role supabase_admin in schema realtime
    grant all on functions to postgres;

-- Realtime's columns. Realtime partitions the table by day and creates the partitions
-- itself; the stand-in has one default partition that takes every row.
create table realtime.messages (
    topic          text not null,
    extension      text not null,
    payload        jsonb,
    event          text,
    private        boolean default false,
    updated_at     timestamp not null default now(),
    inserted_at    timestamp not null default now(),
    id             uuid not null default gen_random_uuid(),
    binary_payload bytea,
    primary key (id, inserted_at),
    constraint messages_payload_exclusive check (payload is null or binary_payload is null)
) partition by range (inserted_at);
create index messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic)
    where extension = 'broadcast' and private is true;
create table realtime.messages_default partition of realtime.messages default;
alter table realtime.messages enable row level security;
grant select, insert, update on realtime.messages to postgres, anon, authenticated, service_role;

-- The channel topic Realtime is authorising (it sets `realtime.topic` before it reads
-- realtime.messages as the joining user), as Supabase defines it.
create function realtime.topic() returns text language sql stable as $$
    select nullif(current_setting('realtime.topic', true), '')::text;
$$;

-- Supabase's realtime.send: a broadcast row in realtime.messages (with the row's id in the
-- payload unless it carries one), `realtime.topic` set for the rest of the transaction, any
-- failure a WARNING instead of an error, so a broadcast never fails the caller's transaction.
-- It runs as its caller (no SECURITY DEFINER): the insert goes through row-level security.
-- On Supabase, Realtime reads committed rows from a logical replication slot. The stand-in
-- server LISTENs instead: the pg_notify below is the stand-in's alone (delivered on commit,
-- never for a rolled-back row, as replication would), in its own block so that a message too
-- large to notify still lands in the table, as it does on Supabase.
create function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void language plpgsql as $$
declare
    generated_id  uuid;
    final_payload jsonb;
begin
    begin
        generated_id := gen_random_uuid();
        if payload ? 'id' then
            final_payload := payload;
        else
            final_payload := jsonb_set(payload, '{id}', to_jsonb(generated_id));
        end if;
        execute format('SET LOCAL realtime.topic TO %L', topic);
        insert into realtime.messages (id, payload, event, topic, private, extension)
        values (generated_id, final_payload, event, topic, private, 'broadcast');
        begin
            perform pg_notify('jotline_standin_realtime', jsonb_build_object(
                'id', generated_id, 'topic', topic, 'event', event, 'private', private,
                'payload', final_payload)::text);
        exception when others then
            raise warning 'stand-in: cannot forward broadcast %: %', generated_id, sqlerrm;
        end;
    exception when others then
        raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
    end;
end;
$$;

alter table realtime.messages owner to supabase_realtime_admin;
alter table realtime.messages_default owner to supabase_realtime_admin;
alter function realtime.topic() owner to supabase_realtime_admin;
alter function realtime.send(jsonb, text, text, boolean) owner to supabase_realtime_admin;
