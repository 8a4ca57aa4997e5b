-- service_role (the project's secret key: cron, a transcription worker) bypasses row-level
-- security, and Supabase's default privileges gave it every privilege on the sync tables, so a
-- worker could write them past everything sync_push keeps (a row stamped with no new version
-- is never pulled; a hard delete never reaches a device). 0001's comment promised that the
-- tables grant back only what is needed; for service_role that is reading them (a worker finds
-- the memos to transcribe) and calling the functions made for it, which stamp versions:
-- cleanup_tombstones (0004) and set_capture_transcript (0005), both SECURITY DEFINER.

revoke insert, update, delete, truncate, references, trigger on public.sync_state,
    public.sync_clients, public.dead_letters, public.entries, public.captures
    from service_role;
revoke all on sequence public.dead_letters_id_seq from service_role;
grant select on public.sync_state, public.sync_clients, public.dead_letters, public.entries,
    public.captures to service_role;
