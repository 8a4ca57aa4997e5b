-- Server-side transcription: a worker holding the service role (an Edge Function, a cron job
-- calling a speech service on the uploaded WAV) hands a voice memo's transcript to the
-- journal. The capture gets the text and `ready`; its entry gets the transcript as body (above
-- anything the user already wrote there). Both rows are stamped with a new version in this one
-- transaction, so every device pulls them together.
--
-- Lock order as in sync_push (sync_state first, then rows), so the two never deadlock.
create or replace function public.set_capture_transcript(p_capture_id uuid, p_text text)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
    v_user    uuid;
    v_entry   uuid;
    v_version bigint;
begin
    select c.user_id into v_user from public.captures c
    where c.id = p_capture_id and c.deleted_at is null;
    if v_user is null then
        raise exception 'no live capture %', p_capture_id using errcode = 'P0002';
    end if;
    update public.sync_state s set version = s.version + 1
    where s.user_id = v_user
    returning s.version into v_version;
    update public.captures c
    set text = p_text, parse_status = 'ready', error = null, version = v_version
    where c.id = p_capture_id
    returning c.entry_id into v_entry;
    if v_entry is not null then
        update public.entries e
        set body = case when e.body = '' then p_text else p_text || E'\n\n' || e.body end,
            updated_at = now(),
            version = v_version
        where e.id = v_entry and e.user_id = v_user and e.deleted_at is null;
    end if;
    return v_version;
end
$$;

revoke all on function public.set_capture_transcript(uuid, text) from public, anon, authenticated;
grant execute on function public.set_capture_transcript(uuid, text) to service_role;
