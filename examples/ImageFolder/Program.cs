// ImageFolder: a convolutional, Jacobian-regularized network trained on a folder of image files, one subfolder per
// class, through ML.NET's own image pipeline: LoadImages -> ResizeImages -> ExtractPixels -> JacobianRegularized.
// The network's image shape comes from the pixel column ExtractPixels writes (channels x height x width, planar);
// the model is saved as a standard ML.NET zip, loaded back in a new MLContext, and scores an image file it has not seen.
//
// Usage: dotnet run -c Release --project examples/ImageFolder -- [--images DIR] [--mnist DIR] [--count N]
//            [--size N] [--epochs N] [--output DIR] [--score FILE] [--quick]
//   --images DIR  a folder of images (PNG, JPEG, BMP...), one subfolder per class (the subfolder's name is the class).
//   Without --images, one is built in OUTPUT/images from digits: the embedded 8x8 digits by default (no download), or
//   the first --count (default 3,000) MNIST test digits with --mnist DIR (the folder of the IDX files, plain or .gz);
//   each digit is written as a grey PNG, and one image per class is kept out of the folder (OUTPUT/unseen) to be scored.
//   --size N      the side the images are resized to (default: 16 for the embedded digits, 28 otherwise).
//   --score FILE  an image to classify with the reloaded model (default: the first unseen digit).
//   --output DIR  must be new or empty (default image-folder); the zip is OUTPUT/model.zip.
//   --quick (or MLNETJACOBIAN_EXAMPLES_QUICK=1): 2 epochs, for CI.
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLNetJacobian.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;

var clock = Stopwatch.StartNew();
bool quick = Environment.GetEnvironmentVariable("MLNETJACOBIAN_EXAMPLES_QUICK") == "1";
string output = "image-folder";
string? images = null, mnist = null, scoreFile = null;
int count = 3000, epochs = 10;
int? size = null;
for (int i = 0; i < args.Length; i++)
{
    string option = args[i];
    if (option == "--quick")
    {
        quick = true;
        continue;
    }

    if (i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"error: {option} needs a value (options: --images, --mnist, --count, --size, --epochs, --output, --score, --quick).");
        return 2;
    }

    string value = args[++i];
    switch (option)
    {
        case "--images": images = value; break;
        case "--mnist": mnist = value; break;
        case "--score": scoreFile = value; break;
        case "--output": output = value; break;
        case "--count" when int.TryParse(value, CultureInfo.InvariantCulture, out int n) && n >= 20: count = n; break;
        case "--size" when int.TryParse(value, CultureInfo.InvariantCulture, out int n) && n >= 4: size = n; break;
        case "--epochs" when int.TryParse(value, CultureInfo.InvariantCulture, out int n) && n >= 1: epochs = n; break;
        default:
            Console.Error.WriteLine($"error: option {option} '{value}' is unknown or out of range (--count at least 20, --size at least 4, --epochs at least 1).");
            return 2;
    }
}

if (quick) epochs = 2;
if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
{
    // The zip and the built image folder would replace earlier files (or the user's): never silently.
    Console.Error.WriteLine($"error: the output folder '{Path.GetFullPath(output)}' is not empty; delete it or name a new one with --output DIR.");
    return 2;
}

Directory.CreateDirectory(output);
var unseen = new List<(string Path, string Label)>();
if (images is null)
{
    LabeledDataset digits = mnist is null ? DigitsDataset.Load(scaleToUnitInterval: true) : MnistDataset.Load(mnist, MnistSplit.Test);
    int side = mnist is null ? 8 : 28;
    images = Path.Combine(output, "images");
    unseen = DigitFolder.Write(digits, side, mnist is null ? digits.Count : Math.Min(count, digits.Count), images, Path.Combine(output, "unseen"));
    Console.WriteLine($"Wrote {Directory.EnumerateFiles(images, "*.png", SearchOption.AllDirectories).Count():N0} {side}x{side} PNG digits to {images} " +
        $"({(mnist is null ? "the embedded digits" : "MNIST test digits")}), one subfolder per class; {unseen.Count} more to {Path.Combine(output, "unseen")}.");
}
else if (!Directory.Exists(images))
{
    Console.Error.WriteLine($"error: the image folder '{images}' does not exist.");
    return 2;
}

int imageSide = size ?? (mnist is null && images == Path.Combine(output, "images") ? 16 : 28);
List<ImageRow> rows;
try
{
    rows = ImageRow.FromFolder(images);
}
catch (InvalidDataException error)
{
    Console.Error.WriteLine($"error: {error.Message}");
    return 3;
}

var mlContext = new MLContext(seed: 1);
mlContext.Log += (_, e) =>
{
    if (e.Source.StartsWith("JacobianRegularizedTrainer", StringComparison.Ordinal) && e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info)
    {
        Console.WriteLine($"  {e.RawMessage}");
    }
};
// Cached after the split so each epoch reads the decoded pixels from memory and the trainer can shuffle the rows.
DataOperationsCatalog.TrainTestData split = mlContext.Data.TrainTestSplit(mlContext.Data.LoadFromEnumerable(rows), testFraction: 0.2, seed: 1);
Console.WriteLine($"{rows.Count:N0} images in {rows.Select(r => r.Label).Distinct().Count()} classes; 80/20 split; resized to {imageSide}x{imageSide}, grey.");

// LoadImages reads each file relative to the image folder (absolute paths are read as they are, so the reloaded model
// scores any file); ConvertToGrayscale + ExtractPixels(Red) gives one plane of grey levels scaled to [0, 1].
// ExtractPixels writes planar pixels (all of one colour, then the next) and records the column's dimensions as
// channels x height x width, which is where the trainer takes the image shape from: no ImageShape option is needed.
var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
    .Append(mlContext.Transforms.LoadImages("Image", imageFolder: Path.GetFullPath(images), inputColumnName: nameof(ImageRow.ImagePath)))
    .Append(mlContext.Transforms.ResizeImages("Image", imageWidth: imageSide, imageHeight: imageSide))
    .Append(mlContext.Transforms.ConvertToGrayscale("Image"))
    .Append(mlContext.Transforms.ExtractPixels("Features", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red,
        interleavePixelColors: false, scaleImage: 1f / 255))
    .AppendCacheCheckpoint(mlContext)
    .Append(mlContext.MulticlassClassification.Trainers.JacobianRegularized(new JacobianRegularizedTrainer.Options
    {
        Layers = NetworkLayers.Parse("conv 8 3 pad 1, relu, maxpool 2, conv 16 3 pad 1, relu, maxpool 2, dense 64, relu, dropout 0.25"),
        JacobianWeight = 0.01,
        LearningRate = 0.05,
        BatchSize = 64,
        NumberOfEpochs = epochs,
    }))
    .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

Console.WriteLine($"Training for {epochs} epochs:");
var model = pipeline.Fit(split.TrainSet);
JacobianRegularizedModelParameters network = model.OfType<JacobianRegularizedPredictionTransformer>().Single().Model;
Console.WriteLine($"Network {network.Architecture} (image shape {network.ImageShape}, taken from the pixel column).");
MulticlassClassificationMetrics metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
Console.WriteLine($"Test: micro accuracy {metrics.MicroAccuracy:P2}, macro accuracy {metrics.MacroAccuracy:P2}, log loss {metrics.LogLoss:F4}.");

string zip = Path.Combine(output, "model.zip");
mlContext.Model.Save(model, split.TrainSet.Schema, zip);
var freshContext = new MLContext(seed: 2);
ITransformer loaded = freshContext.Model.Load(zip, out _);
Console.WriteLine($"Saved {zip} ({new FileInfo(zip).Length / 1024} KB) and loaded it in a new MLContext.");

var engine = freshContext.Model.CreatePredictionEngine<ImageRow, ImagePrediction>(loaded);
IEnumerable<(string Path, string Label)> toScore = scoreFile is not null ? [(scoreFile, "?")] : unseen;
foreach ((string path, string label) in toScore)
{
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"error: the image to score, '{path}', does not exist.");
        return 2;
    }

    ImagePrediction prediction = engine.Predict(new ImageRow { ImagePath = Path.GetFullPath(path), Label = label });
    Console.WriteLine($"{path}: predicted {prediction.PredictedLabel} (probability {prediction.Score.Max():P1}){(label == "?" ? "" : $", true class {label}")}.");
}

Console.WriteLine($"Done in {clock.Elapsed.TotalSeconds:F1} s.");
return 0;

/// <summary>One image file and its class (the name of the subfolder it is in).</summary>
internal sealed class ImageRow
{
    public string ImagePath { get; set; } = "";

    public string Label { get; set; } = "";

    /// <summary>Every image file under <paramref name="folder"/>'s subfolders, the subfolder naming the class.</summary>
    /// <exception cref="InvalidDataException">Fewer than two classes with images, or image files directly in the folder.</exception>
    public static List<ImageRow> FromFolder(string folder)
    {
        string[] extensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];
        bool IsImage(string file) => extensions.Contains(Path.GetExtension(file).ToLowerInvariant());
        if (Directory.EnumerateFiles(folder).FirstOrDefault(IsImage) is string stray)
        {
            throw new InvalidDataException($"'{stray}' is directly in the image folder '{folder}'; each image must be in the subfolder of its class.");
        }

        var rows = Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal)
            .SelectMany(sub => Directory.EnumerateFiles(sub).Where(IsImage).Order(StringComparer.Ordinal)
                .Select(file => new ImageRow { ImagePath = Path.GetRelativePath(folder, file), Label = Path.GetFileName(sub) }))
            .ToList();
        int classes = rows.Select(r => r.Label).Distinct().Count();
        if (classes < 2)
        {
            throw new InvalidDataException($"The image folder '{folder}' has images in {classes} subfolder(s); a classifier needs at least two classes, one subfolder each.");
        }

        return rows;
    }
}

/// <summary>What the model gives for one image.</summary>
internal sealed class ImagePrediction
{
    public string PredictedLabel { get; set; } = "";

    public float[] Score { get; set; } = [];
}

/// <summary>Writes digits as grey PNG files, one subfolder per class.</summary>
internal static class DigitFolder
{
    /// <summary>
    /// Writes the first <paramref name="count"/> digits (pixels in [0, 1]) to <paramref name="folder"/>/CLASS/NNNNN.png,
    /// keeping the first digit of each class out of it, in <paramref name="unseenFolder"/>; returns those.
    /// </summary>
    public static List<(string Path, string Label)> Write(LabeledDataset digits, int side, int count, string folder, string unseenFolder)
    {
        var unseen = new List<(string Path, string Label)>();
        Directory.CreateDirectory(unseenFolder);
        var pixels = new byte[side * side * 4];   // RGBA32, row-major
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> grey = digits.Row(i);
            for (int p = 0; p < side * side; p++)
            {
                byte level = (byte)Math.Clamp(Math.Round(grey[p] * 255), 0, 255);
                pixels[4 * p] = pixels[4 * p + 1] = pixels[4 * p + 2] = level;
                pixels[4 * p + 3] = 255;
            }

            string label = digits.ClassNames[digits.Labels[i]];
            bool keepOut = !unseen.Any(u => u.Label == label);
            string target = keepOut
                ? Path.Combine(unseenFolder, $"{label}-{i:00000}.png")
                : Path.Combine(folder, label, $"{i:00000}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using MLImage image = MLImage.CreateFromPixels(side, side, MLPixelFormat.Rgba32, pixels);
            image.Save(target);
            if (keepOut) unseen.Add((target, label));
        }

        return unseen;
    }
}
