#!/usr/bin/env bash
# Packs the library and the tool, checks what the packages hold, installs the tool from its package into a temporary
# tool path and runs it. Called by .ci/run after the examples; needs the .NET SDK only.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== dotnet pack (library, plotting, tool), warnings are errors"
for project in src/MLNetJacobian src/MLNetJacobian.Plotting src/MLNetJacobian.Cli; do
  dotnet pack "$project" -c Release -o "$work/packages" --nologo -v quiet -clp:ErrorsOnly -warnaserror
done

library=$(ls "$work"/packages/MLNetJacobian.[0-9]*.nupkg)
tool=$(ls "$work"/packages/MLNetJacobian.Cli.*.nupkg)
entries=$(unzip -Z1 "$library")
for required in PACKAGE.md DIGITS-LICENSE.txt lib/net10.0/MLNetJacobian.dll lib/net10.0/MLNetJacobian.xml; do
  grep -qx "$required" <<<"$entries" || { echo "$library lacks $required" >&2; exit 1; }
done
grep -q '<readme>PACKAGE.md</readme>' <(unzip -p "$library" MLNetJacobian.nuspec) || { echo "the nuspec names no readme" >&2; exit 1; }

# The tool ships only the native builds of the platforms a .NET tool runs on (ToolRuntimes.targets).
unwanted=$(unzip -Z1 "$tool" | grep -E '/runtimes/(android|ios|iossimulator|maccatalyst|tvos|tvossimulator|browser|linux-arm/|linux-x86|linux-riscv|linux-loongarch|linux-musl-arm/|linux-musl-riscv|linux-musl-loongarch)' || true)
[ -z "$unwanted" ] || { echo "the tool package still holds native assets of other platforms:" >&2; head -5 <<<"$unwanted" >&2; exit 1; }
size=$(stat -c %s "$tool")
echo "tool package: $((size / 1024 / 1024)) MB"
[ "$size" -lt $((150 * 1024 * 1024)) ] || { echo "the tool package is $size bytes" >&2; exit 1; }

echo "== install the tool from its package and run it"
dotnet tool install MLNetJacobian.Cli --tool-path "$work/tool" --add-source "$work/packages" --version 0.1.0 >/dev/null
"$work/tool/mlnet-jacobian" --help >/dev/null
"$work/tool/mlnet-jacobian" train --epochs 1 --hidden-layers 16 --max-rows 200 --model "$work/run/digits.zip" >/dev/null
[ -s "$work/run/digits.zip" ] || { echo "the installed tool wrote no model" >&2; exit 1; }
echo "packages: library holds its README and the digits' licence; the tool installs and trains"
