# Helpers for the command-line tests, sourced (not run): read a run's
# summary.json. Each fails (non-zero, nothing printed) when the file cannot
# be read or lacks the key.

# run_field FILE KEY: summary.json's run.KEY (e.g. hash, events).
run_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["run"][sys.argv[2]])' "$1" "$2"; }

# without_host FILE: summary.json without its host section (wall time), keys
# sorted, so that two runs compare as text.
without_host() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("host"); print(json.dumps(d, sort_keys=True))' "$1"; }
