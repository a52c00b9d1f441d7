#!/usr/bin/env bash
# Re-creates the vendored schema folders from the shared sample checkout and writes one ORIGIN.tsv
# per folder from SOURCES.tsv. Originals are copied byte for byte; only file names containing ':'
# are changed to '_' (portable checkouts), which ORIGIN.tsv records. Wrapper XSDs and standard.json
# are ours and are not touched here.
set -euo pipefail
SRC=${1:-/work/shared/xoev-samples}
DST=$(cd "$(dirname "$0")" && pwd)
copy() { # <standard-folder> <src-rel> <dst-rel>
  local folder=$1 rel=$2 out=$3
  mkdir -p "$DST/$folder/$(dirname "$out")"
  cp "$SRC/$rel" "$DST/$folder/$out"
  awk -F'\t' -v p="$rel" -v o="$out" 'BEGIN{OFS="\t"} $6==p {print o,$2,$3,$4,$5}' "$SRC/SOURCES.tsv" >> "$DST/$folder/ORIGIN.tsv"
}
header() { printf 'local_path\trepo\tcommit\tpath_in_repo\tlicense_of_repo\n' > "$DST/$1/ORIGIN.tsv"; }
for v in 2.4.0 3.0.0; do
  f=xdomea/$v; mkdir -p "$DST/$f"; header $f
  for x in "$SRC"/xdomea/message_generation/schemes/xdomea_$v/*.xsd; do copy $f "${x#$SRC/}" "xsd/$(basename "$x")"; done
  for x in "$SRC"/xdomea/message_generation/schemes/xdomea_$v/code_lists/*.xml; do copy $f "${x#$SRC/}" "codelists/$(basename "$x")"; done
done
for v in 3.0.0; do copy xdomea/$v xdomea/message_generation/schemes/xoev/code/1_0/xoev-code.xsd xoev/code/1_0/xoev-code.xsd; done
# xdomea 2.4.0 (and 3.0.0, above) imports ../xoev/… relative to its XSD folder: keep that shape inside the version folder.
copy xdomea/2.4.0 xdomea/message_generation/schemes/xoev/code/1_0/xoev-code.xsd xoev/code/1_0/xoev-code.xsd
copy xdomea/2.4.0 xdomea/message_generation/schemes/xoev/latinchars/1_1/datatypes/latinchars.xsd xoev/latinchars/1_1/datatypes/latinchars.xsd
f=xbau/2.6; mkdir -p "$DST/$f"; header $f
for x in "$SRC"/xbau/artifacts/xbau/2.6/specs/*.xsd; do copy $f "${x#$SRC/}" "xsd/$(basename "$x")"; done
for x in "$SRC"/xbau/artifacts/codelists/*.xml; do b=$(basename "$x"); copy $f "${x#$SRC/}" "codelists/${b//:/_}"; done
f=xjustiz/3.5.1; mkdir -p "$DST/$f"; header $f
# The eEB set is a superset of Strukturierte_Daten (same files, CRLF line ends) plus the eEB module.
for x in "$SRC"/xjustiz/assets/eEB_3_5_1/xsd/351/*.xsd; do copy $f "${x#$SRC/}" "xsd/$(basename "$x")"; done
for x in "$SRC"/xjustiz/assets/eEB_3_5_1/codelisten_typ3/*.xml; do copy $f "${x#$SRC/}" "codelists/$(basename "$x")"; done
