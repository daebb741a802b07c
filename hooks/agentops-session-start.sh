#!/bin/sh
# agentops-meta planner hook for SessionStart. Prints the advice the learner precomputed for this
# project (or the global advice), records what it injected, and warns the user when capture has
# stalled. It reads a few small files with shell builtins and forks only `head`, `date` and `mv`,
# so it costs a few milliseconds. Exit 0 always; stdout carries the injection and nothing else.
exec 2>/dev/null
LC_ALL=C
export LC_ALL

home="${AGENTOPS_META_HOME:-}"
if [ -z "$home" ]; then
  if [ -n "${HOME:-}" ]; then home="$HOME/.agentops-meta"; else home="${TMPDIR:-/tmp}/agentops-meta-$(id -u)"; fi
fi
ctx="$home/context"
spool="$home/spool"

# Observer isolation, as in agentops-capture.sh: an excluded session is neither recorded nor advised.
# (The payload is drained either way, so Claude Code never writes into a closed pipe.)
[ -n "${AGENTOPS_META_DISABLE:-}" ] && { cat >/dev/null; exit 0; }
if [ -n "${CLAUDE_CODE_ENTRYPOINT:-}" ] && [ -f "$ctx/exclude-entrypoints" ]; then
  IFS= read -r excluded <"$ctx/exclude-entrypoints"
  case ",$excluded," in *",$CLAUDE_CODE_ENTRYPOINT,"*) cat >/dev/null; exit 0 ;; esac
fi

# The payload is one line of JSON; take the session id out of it without a JSON parser. Only its
# start is read (Claude Code sends session_id first; dash's `read` goes byte by byte), and the rest
# is drained so the sender never writes into a closed pipe.
payload=$(head -c 8192; cat >/dev/null)
sid=${payload#*\"session_id\":\"}
[ "$sid" = "$payload" ] && sid=${payload#*\"session_id\": \"}
sid=${sid%%\"*}
case "$sid" in '' | *[!A-Za-z0-9_.-]*) sid='' ;; esac

ts="${AGENTOPS_META_CLOCK_NS:-}"
[ -n "$ts" ] || ts=$(date +%s%N)
case "$ts" in *[!0-9]* | '') ts=$(perl -MTime::HiRes=time -e 'printf "%.0f", time()*1e9') || ts="$(date +%s)000000000" ;; esac

# Advice for this project when the learner had enough of its sessions, else the global advice.
# The file name is the project folder with every byte but ASCII letters and digits made "-"
# (byte-wise, so it matches projectSlug() in src/plan/context-bundle.ts whatever the locale). Projects are
# learned by git root, and Claude Code may start in a folder below it: the deepest folder on the
# way down that has advice wins (one test per path component, no fork).
key=global
dir="${CLAUDE_PROJECT_DIR:-}"
if [ -n "$dir" ]; then
  slug='' rest=$dir
  while [ -n "$rest" ]; do
    c=${rest%"${rest#?}"}
    rest=${rest#?}
    case "$c" in
      [A-Za-z0-9]) slug="$slug$c" ;;
      /) [ -n "$slug" ] && [ -f "$ctx/session-start/$slug.ctx" ] && key=$slug; slug="$slug-" ;;
      *) slug="$slug-" ;;
    esac
  done
  [ -f "$ctx/session-start/$slug.ctx" ] && key=$slug
fi
# Holdout: a share of sessions gets no advice, so the learner can measure whether advice helps as a
# whole. Withheld: a further share is shown the advice with one item (chosen at random) left out,
# so each item is measured on its own against sessions that were shown everything else. The
# microsecond digits of the clock are as good as a coin here and cost no fork; the item is chosen
# from the 100-microsecond digits up.
share=10
[ -f "$ctx/holdout-percent" ] && IFS= read -r share <"$ctx/holdout-percent"
case "$share" in *[!0-9]* | '') share=10 ;; esac
withhold=0
[ -f "$ctx/withhold-percent" ] && IFS= read -r withhold <"$ctx/withhold-percent"
case "$withhold" in *[!0-9]* | '') withhold=0 ;; esac
items=0
[ -f "$ctx/session-start/$key.items" ] && IFS= read -r items <"$ctx/session-start/$key.items"
case "$items" in *[!0-9]* | '') items=0 ;; esac
coin=$(((ts / 1000) % 100))
holdout=false
variant=0
if [ "$coin" -lt "$share" ]; then
  holdout=true
elif [ "$coin" -lt $((share + withhold)) ] && [ "$items" -gt 0 ]; then
  variant=$(((ts / 100000) % items + 1))
fi
# SessionStart fires again on resume and compact: a session keeps the coin it got first, and the
# item it had withheld (found by name, since the advice may have been relearned since; when it is
# gone, the session is shown nothing rather than the item).
prev=''
[ -n "$sid" ] && [ -f "$ctx/sessions/$sid.json" ] && IFS= read -r prev <"$ctx/sessions/$sid.json"
case "$prev" in
  '{"holdout":true'*) holdout=true variant=0 ;;
  '{"holdout":false'*)
    holdout=false variant=0
    was=${prev#*\"withheld\":}
    [ "$was" = "$prev" ] && was='[]'
    was=${was%\}}
    if [ "$was" != '[]' ]; then
      variant=none j=1
      while [ "$j" -le "$items" ]; do
        w=''
        [ -f "$ctx/session-start/$key.w$j.withheld" ] && IFS= read -r w <"$ctx/session-start/$key.w$j.withheld"
        [ "$w" = "$was" ] && { variant=$j; break; }
        j=$((j + 1))
      done
    fi
    ;;
esac

text='' ids='[]' withheld='[]'
stem="$ctx/session-start/$key"
case "$variant" in
  none) text='""' withheld=$was ;;
  *)
    [ "$variant" = 0 ] || stem="$stem.w$variant"
    [ -f "$stem.ctx" ] && IFS= read -r text <"$stem.ctx"
    [ -f "$stem.ids" ] && IFS= read -r ids <"$stem.ids"
    [ "$variant" = 0 ] || { [ -f "$stem.withheld" ] && IFS= read -r withheld <"$stem.withheld"; }
    ;;
esac

# Health: a spool file older than a day means nothing is ingesting.
health=''
[ -f "$ctx/health.msg" ] && IFS= read -r health <"$ctx/health.msg"
if [ -z "$health" ]; then
  set -- "$spool"/*.json
  if [ -e "$1" ]; then
    oldest=${1##*/}
    oldest=${oldest%%-*}
    case "$oldest" in *[!0-9]* | '') ;; *)
      [ $((ts - oldest)) -gt 86400000000000 ] && health='"agentops-meta: captured events have not been ingested for over a day. Run `agentops-meta daemon start` (or `agentops-meta ingest`); `agentops-meta doctor` explains more."' ;;
    esac
  fi
fi

# A learning-commit notice (where the first one went, or why one could not be made) is shown once,
# when there is no health warning to show instead; then it is moved aside.
if [ -z "$health" ] && [ -f "$ctx/learning.msg" ]; then
  IFS= read -r health <"$ctx/learning.msg"
  mv -f "$ctx/learning.msg" "$ctx/learning.msg.shown"
fi

# Start the daemon when it is not running (it ingests and learns in the background). The learner
# writes the node binary and our CLI, one per line, to context/autostart when autostart is on.
if [ -f "$ctx/autostart" ]; then
  pid=''
  [ -f "$home/daemon.pid" ] && IFS= read -r pid <"$home/daemon.pid"
  case "$pid" in *[!0-9]* | '') pid='' ;; esac
  if [ -z "$pid" ] || ! kill -0 "$pid"; then
    { IFS= read -r node_bin && IFS= read -r cli; } <"$ctx/autostart"
    [ -x "$node_bin" ] && [ -f "$cli" ] && ("$node_bin" "$cli" daemon start </dev/null >/dev/null 2>&1 &)
  fi
fi

injected=false
if [ "$holdout" = false ] && [ -n "$text" ] && [ "$text" != '""' ]; then injected=true; fi

out=''
if [ "$injected" = true ]; then
  out="{\"hookSpecificOutput\":{\"hookEventName\":\"SessionStart\",\"additionalContext\":$text}"
  [ -n "$health" ] && out="$out,\"systemMessage\":$health"
  out="$out}"
elif [ -n "$health" ]; then
  out="{\"systemMessage\":$health}"
fi
[ -n "$out" ] && printf '%s\n' "$out"

# Record the decision for the learner ("did the advice help?") and for the prompt hook (no repeats).
if [ -n "$sid" ] && [ -n "$text" ]; then
  umask 077
  [ -d "$spool/.tmp" ] || mkdir -p "$spool/.tmp"
  [ "$injected" = true ] || ids='[]'
  name="$ts-$$-AgentopsInjection"
  printf '{"session_id":"%s","hook_event_name":"AgentopsInjection","hook":"SessionStart","holdout":%s,"ids":%s,"withheld":%s,"context_key":"%s"}\n' \
    "$sid" "$holdout" "$ids" "$withheld" "$key" >"$spool/.tmp/$name" && mv -f "$spool/.tmp/$name" "$spool/$name.json"
  [ -d "$ctx/sessions" ] || mkdir -p "$ctx/sessions"
  printf '{"holdout":%s,"ids":%s,"withheld":%s}\n' "$holdout" "$ids" "$withheld" >"$ctx/sessions/$sid.json"
fi
exit 0
