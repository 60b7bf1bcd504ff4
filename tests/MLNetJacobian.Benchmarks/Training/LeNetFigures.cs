using System.Globalization;
using MLNetJacobian.Analysis;
using MLNetJacobian.Compute;
using MLNetJacobian.Data;
using MLNetJacobian.Models;
using MLNetJacobian.Network;
using MLNetJacobian.Plotting;
using MLNetJacobian.Robustness;
using SkiaSharp;

namespace MLNetJacobian.Benchmarks.Training;

/// <summary>
/// <c>lenet-figures --models DIR [--output DIR] [--radius R]</c>: pictures of the networks <c>lenet-mnist</c> wrote, all in [0, 1]
/// pixel space through the standardization: PGD-40 adversarial images of the same test digits for every model
/// (<c>adversarial-pgd.png</c>), and decision cells on planes through test digits (<c>cells-*.png</c>, random
/// directions and the unregularized LeNet's two most sensitive directions, <c>s, t</c> in [-R, R] pixel-space L2 units,
/// default 10; images on the plane are not clipped to [0, 1]) with <see cref="ModelComparison"/>.
/// </summary>
public static class LeNetFigures
{
    private const float Epsilon = 0.15f;

    /// <summary>Draws the figures.</summary>
    /// <param name="args">The options after the command name.</param>
    public static void Run(ReadOnlySpan<string> args)
    {
        string? models = null;
        string output = "docs/images/convolutional";
        double radius = 10;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--models": models = args[i + 1]; break;
                case "--output": output = args[i + 1]; break;
                case "--radius": radius = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}' (known: --models, --output, --radius).", nameof(args));
            }
        }

        if (models is null || !Directory.Exists(models)) throw new ArgumentException($"--models must name the folder lenet-mnist wrote ('{models}' is not one).", nameof(args));
        Directory.CreateDirectory(output);
        LabeledDataset test = MnistDataset.Load(MnistFiles.DefaultFolder, Data.MnistSplit.Test);
        (string Key, string Name)[] wanted = [("plain", "LeNet, no penalty"), ("jr", "LeNet, lambda 0.01"), ("mlp", "MLP, lambda 0.1")];
        var loaded = wanted.Where(w => File.Exists(Path.Combine(models, w.Key + ".f32")))
            .Select(w => (w.Name, Model: (IDifferentiableModel)AffineInputModel.Standardized(
                new NetworkModel<float>(LeNetMnist.LoadNetwork(models, w.Key), [.. test.ClassNames], new ManagedGemmProvider(1), description: w.Name),
                MnistSplit.StandardMean, MnistSplit.StandardDeviation)))
            .ToList();

        Adversarial(loaded, test, Path.Combine(output, "adversarial-pgd.png"));
        ModelComparisonReport report = ModelComparison.Run(loaded.Select(m => (m.Name, (IModel)m.Model)).ToList(), test, new ModelComparison.Options
        {
            FigureExamples = [0, 1],
            MapRadius = radius,
            MapResolution = 121,
            StatisticsExamples = 300,
            Boundary = new DecisionBoundaryDistance.Options { MaxExamples = 100, MaxRadius = radius },
        });
        foreach (string path in report.SaveFigures(output, new DecisionCellFigureOptions { ImageShape = new ImageShape(1, 28, 28) })) Console.WriteLine($"wrote {path}");
        Console.WriteLine(report);
    }

    /// <summary>The first test digits every model classifies correctly, and each model's PGD-40 image of them at <see cref="Epsilon"/>.</summary>
    private static void Adversarial(List<(string Name, IDifferentiableModel Model)> models, LabeledDataset test, string path)
    {
        const int columns = 8, cell = 84, left = 170, top = 30, labelHeight = 18;
        var chosen = new List<int>();
        var scores = new float[10];
        for (int i = 0; i < test.Count && chosen.Count < columns; i++)
        {
            bool allCorrect = models.All(m =>
            {
                m.Model.ComputeOutputs(test.Row(i), 1, scores);
                return System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(scores) == test.Labels[i];
            });
            if (allCorrect) chosen.Add(i);
        }

        float[] features = chosen.SelectMany(i => test.Row(i).ToArray()).ToArray();
        int[] labels = chosen.Select(i => test.Labels[i]).ToArray();
        using var surface = SKSurface.Create(new SKImageInfo(left + columns * cell + 10, top + (models.Count + 1) * (cell + labelHeight) + 10));
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using SKFont font = FigureText.Font(13), bold = FigureText.Font(14, bold: true);
        FigureText.Draw(canvas, string.Create(CultureInfo.InvariantCulture, $"PGD-40 (L-inf, eps {Epsilon} in [0, 1] pixels) on the same test digits; red: fooled (predicted class shown)"),
            10, 18, bold, SKColors.Black);
        for (int c = 0; c < chosen.Count; c++)
        {
            DrawDigit(canvas, test.Row(chosen[c]), left + c * cell, top);
            FigureText.Draw(canvas, $"clean: {test.ClassNames[labels[c]]}", left + c * cell + 4, top + cell + 13, font, SKColors.Black);
        }

        FigureText.Draw(canvas, "clean", 10, top + cell / 2, font, SKColors.Black);
        for (int m = 0; m < models.Count; m++)
        {
            RobustnessReport report = RobustnessEvaluator.Evaluate(models[m].Model, features, labels, new RobustnessOptions
            {
                LowerBound = 0,
                UpperBound = 1,
                Epsilons = [Epsilon],
                Attacks = [new PgdAttack(PerturbationNorm.LInfinity, steps: 40)],
                IncludeAdversarialInputs = true,
                RunSanityChecks = false,
                BisectionSteps = 0,
                Seed = 1,
            });
            int y = top + (m + 1) * (cell + labelHeight);
            FigureText.Draw(canvas, models[m].Name, 10, y + cell / 2, font, SKColors.Black);
            for (int c = 0; c < chosen.Count; c++)
            {
                RobustnessReport.ExampleAttackOutcome? outcome = report.Examples[c].Attacks.FirstOrDefault(a => a.Strength > 0);
                float[] image = outcome?.AdversarialInput?.ToArray() ?? test.Row(chosen[c]).ToArray();
                DrawDigit(canvas, image, left + c * cell, y);
                bool fooled = outcome?.Fooled ?? false;
                string text = fooled ? $"-> {test.ClassNames[outcome!.AdversarialPrediction]}" : "held";
                FigureText.Draw(canvas, text, left + c * cell + 4, y + cell + 13, font, fooled ? SKColors.Red : new SKColor(0, 120, 0));
            }
        }

        using SKImage snapshot = surface.Snapshot();
        using SKData png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, png.ToArray());
        Console.WriteLine($"wrote {path}");
    }

    private static void DrawDigit(SKCanvas canvas, ReadOnlySpan<float> pixels, int x, int y)
    {
        const int scale = 3;
        using var paint = new SKPaint();
        for (int r = 0; r < 28; r++)
        {
            for (int c = 0; c < 28; c++)
            {
                byte level = (byte)(255 - Math.Clamp(pixels[r * 28 + c], 0f, 1f) * 255);
                paint.Color = new SKColor(level, level, level);
                canvas.DrawRect(x + c * scale, y + r * scale, scale, scale, paint);
            }
        }
    }
}
