#!/usr/bin/env bash
# Runs the tool's `demo` and every example with small settings, then checks that their outputs exist and parse
# (JSON with System.Text.Json, PNG by signature, zips as archives) through .ci/check-outputs.cs.
# Called by .ci/run after the tests; needs the .NET SDK and ../shared/data beside the clone (mnist for MnistReference,
# tabular for TabularRobustness).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MLNETJACOBIAN_EXAMPLES_QUICK=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$SECONDS

echo "== build the tool and the examples"
for project in src/MLNetJacobian.Cli examples/QuickStart examples/MnistReference examples/CompareWithMLNetTrainers examples/ExistingApp examples/TabularRobustness examples/ImageFolder; do
  dotnet build "$project" -c Release --nologo -v quiet -clp:ErrorsOnly
done
tool="dotnet src/MLNetJacobian.Cli/bin/Release/net10.0/mlnet-jacobian.dll"
check() { dotnet run .ci/check-outputs.cs -- "$@"; }

echo "== mlnet-jacobian demo --quick"
$tool demo --quick --output "$work/demo"
demo=("$work"/demo/{model-lambda0.zip,model-lambda0.1.zip,history-lambda0.json,history-lambda0.1.json,learning-curves.png})
demo+=("$work"/demo/{robustness-lambda0.json,robustness-lambda0.png,robustness-lambda0.1.json,robustness-lambda0.1.png})
demo+=("$work"/demo/{robustness-comparison.png,summary.json,comparison.json,comparison.txt,cells-example0-random.png,cells-example0-singular.png})

echo "== mlnet-jacobian train / evaluate / analyze / compare (small settings)"
$tool train --epochs 2 --hidden-layers 32 --max-rows 400 --model "$work/cli/digits.zip"
$tool evaluate --model "$work/cli/digits.zip" --attacks Quick --attack-rows 50 --bisection-steps 0 --no-sanity-checks
$tool analyze --model "$work/cli/digits.zip" --output "$work/cli/analysis" --examples 0 --statistics-rows 50 --boundary-rows 10 --resolution 41
$tool compare --lambdas 0,0.1 --epochs 2 --hidden-layers 16 --max-rows 300 --attacks Quick --attack-rows 40 \
  --jacobian-rows 20 --no-sanity-checks --output "$work/cli/compare"
$tool train --layers "conv 4 3 pad 1, tanh, maxpool 2, dense 16, tanh" --epochs 1 --max-rows 300 --model "$work/cli/conv.zip"
$tool evaluate --model "$work/cli/conv.zip" --attacks fgsm,pgd --epsilons 0.1 --attack-rows 30 --bisection-steps 0 --no-sanity-checks
taxi=../shared/data/tabular/taxi-fare-train.csv.gz
$tool train --data "$taxi" --label fare_amount --categorical vendor_id,rate_code,payment_type --normalize Standardize \
  --max-rows 2000 --epochs 2 --hidden-layers 16 --model "$work/cli/taxi.zip"
$tool evaluate --model "$work/cli/taxi.zip" --data "$taxi" --label fare_amount --categorical vendor_id,rate_code,payment_type --max-rows 2000 \
  --perturb trip_time_in_secs,trip_distance --eps-scale std --attack-rows 40 --attacks noise,square --square-queries 200
$tool analyze --model "$work/cli/taxi.zip" --data "$taxi" --label fare_amount --categorical vendor_id,rate_code,payment_type --max-rows 2000 \
  --statistics-rows 100 --output "$work/cli/taxi-analysis"
$tool compare --task binary --data ../shared/data/tabular/breast-cancer.csv --normalize Standardize --lambdas 0,0.01 --epochs 3 \
  --hidden-layers 8 --baseline FastTree --attack-rows 40 --attacks Quick --bisection-steps 0 --output "$work/cli/compare-binary"
cli=("$work"/cli/{digits.zip,digits.history.json,digits.curves.png,digits.robustness.json,digits.robustness.png})
cli+=("$work"/cli/{taxi.zip,taxi.history.json,taxi.metrics.json,taxi.robustness.json} "$work"/cli/compare-binary/{compare.json,robustness-lambda-0.01.json} "$work"/cli/taxi-analysis/gradients.json)
cli+=("$work"/cli/{conv.zip,conv.history.json,conv.robustness.json})
cli+=("$work"/cli/analysis/{comparison.json,cells-example0-random.png} "$work"/cli/compare/{compare.json,compare.png})

echo "== examples/QuickStart"
dotnet examples/QuickStart/bin/Release/net10.0/QuickStart.dll
quickstart=(examples/QuickStart/bin/Release/net10.0/digits-model.zip)

echo "== examples/ExistingApp (on the demo's regularized model)"
dotnet examples/ExistingApp/bin/Release/net10.0/ExistingApp.dll "$work/demo/model-lambda0.1.zip" --quick
existing=("$work/demo/model-lambda0.1.existing-app-robustness.json")

echo "== examples/CompareWithMLNetTrainers --quick"
dotnet examples/CompareWithMLNetTrainers/bin/Release/net10.0/CompareWithMLNetTrainers.dll --quick --output "$work/trainers"
trainers=("$work/trainers/results.json")

echo "== examples/MnistReference --quick"
dotnet examples/MnistReference/bin/Release/net10.0/MnistReference.dll --quick --output "$work/mnist"
mnist=("$work"/mnist/{summary.json,robustness-lambda0.1.json,robustness-lambda0.1.png,robustness-lambda0.json,robustness-lambda0.png})

echo "== examples/TabularRobustness --quick (row caps, few epochs, few attacked rows; data from ../shared/data/tabular)"
dotnet examples/TabularRobustness/bin/Release/net10.0/TabularRobustness.dll --quick --output "$work/tabular" | tee "$work/tabular.log"
grep -q "| LightGbm |" "$work/tabular.log"
tabular=("$work"/tabular/{results.json,results.md,taxi-robustness.png,taxi-response-curve.png,bike-robustness.png,breast-cancer-robustness.png})

echo "== examples/ImageFolder --quick (PNG digits written, LoadImages -> ResizeImages -> ExtractPixels -> conv network)"
dotnet examples/ImageFolder/bin/Release/net10.0/ImageFolder.dll --quick --output "$work/images"
imagefolder=("$work"/images/{model.zip,unseen/0-00000.png})

echo "== check the outputs"
check "${demo[@]}" "${cli[@]}" "${quickstart[@]}" "${existing[@]}" "${trainers[@]}" "${mnist[@]}" "${tabular[@]}" "${imagefolder[@]}"
echo "examples: all ran and their outputs parse ($((SECONDS - start)) s)"
