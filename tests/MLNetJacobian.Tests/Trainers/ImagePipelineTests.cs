using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetJacobian.Network;
using MLNetJacobian.Trainers;

namespace MLNetJacobian.Tests.Trainers;

/// <summary>
/// ML.NET's own image pipeline in front of a convolutional network: PNG files through LoadImages -> ResizeImages ->
/// ExtractPixels give a column whose recorded dimensions are channels x height x width, with planes R, G, B in that
/// order (planar), from which the trainer takes the image shape; interleaved pixels are refused with an error saying so.
/// </summary>
public sealed class ImagePipelineTests : IDisposable
{
    private const int Width = 8, Height = 6;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"jr-images-{Guid.NewGuid():N}");

    public ImagePipelineTests()
    {
        // Two classes of 8 wide x 6 high images: pure red with a darker left column, and pure blue.
        for (int i = 0; i < 8; i++)
        {
            Write(Path.Combine(_folder, "red", $"{i}.png"), (x, _) => (x == 0 ? (byte)100 : (byte)255, 0, 0));
            Write(Path.Combine(_folder, "blue", $"{i}.png"), (_, _) => (0, 0, (byte)(200 + i)));
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ExtractPixels_PlanarDefault_RecordsChannelsHeightWidthAndTheTrainerTakesThatShape()
    {
        var context = new MLContext(seed: 1);
        IDataView data = Rows(context);
        IEstimator<ITransformer> pixels = Pixels(context, interleave: false);
        IDataView extracted = pixels.Fit(data).Transform(data);

        var type = (VectorDataViewType)extracted.Schema["Features"].Type;
        Assert.Equal([3, Height, Width], type.Dimensions.ToArray());
        float[] red = extracted.GetColumn<float[]>("Features").First();
        // Planar, R then G then B: the first plane is red (100 in the left column, 255 elsewhere), the others zero.
        Assert.Equal(100f / 255, red[0], 5);
        Assert.Equal(1f, red[1], 5);
        Assert.Equal(100f / 255, red[Width], 5);
        Assert.All(red.Skip(Width * Height), v => Assert.Equal(0f, v));

        var model = (IEnumerable<ITransformer>)pixels.Append(context.MulticlassClassification.Trainers.JacobianRegularized(Options())).Fit(data);
        JacobianRegularizedModelParameters network = model.OfType<JacobianRegularizedPredictionTransformer>().Single().Model;
        Assert.Equal(new ImageShape(3, Height, Width), network.ImageShape);
        float[][] scores = ((ITransformer)model).Transform(data).GetColumn<float[]>("Score").ToArray();
        Assert.Equal(16, scores.Length);
    }

    [Fact]
    public void ExtractPixels_Interleaved_TrainerRefusesAndSaysToExtractPlanarPixels()
    {
        var context = new MLContext(seed: 1);
        IDataView data = Rows(context);
        IEstimator<ITransformer> pixels = Pixels(context, interleave: true);
        var type = (VectorDataViewType)pixels.Fit(data).Transform(data).Schema["Features"].Type;
        Assert.Equal([Height, Width, 3], type.Dimensions.ToArray());

        var error = Assert.Throws<ArgumentException>(() => pixels.Append(context.MulticlassClassification.Trainers.JacobianRegularized(Options())).Fit(data));
        Assert.Contains("interleavePixelColors: false", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Features'", error.Message, StringComparison.Ordinal);
    }

    private static JacobianRegularizedTrainer.Options Options() => new()
    {
        Layers = NetworkLayers.Parse("conv 2 3, relu, globalavgpool"),
        NumberOfEpochs = 1,
        BatchSize = 4,
        Seed = 1,
        NumberOfThreads = 1,
    };

    private IEstimator<ITransformer> Pixels(MLContext context, bool interleave) =>
        context.Transforms.Conversion.MapValueToKey("Label")
            .Append(context.Transforms.LoadImages("Image", _folder, "Path"))
            .Append(context.Transforms.ResizeImages("Image", Width, Height))
            .Append(context.Transforms.ExtractPixels("Features", "Image", interleavePixelColors: interleave, scaleImage: 1f / 255));

    private IDataView Rows(MLContext context) => context.Data.LoadFromEnumerable(
        Directory.EnumerateFiles(_folder, "*.png", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Reverse()
            .Select(file => new ImageFile { Path = System.IO.Path.GetRelativePath(_folder, file), Label = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(file)!) })
            .ToList());

    private static void Write(string path, Func<int, int, (byte R, byte G, byte B)> color)
    {
        var rgba = new byte[Width * Height * 4];
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                (byte r, byte g, byte b) = color(x, y);
                int at = 4 * (y * Width + x);
                (rgba[at], rgba[at + 1], rgba[at + 2], rgba[at + 3]) = (r, g, b, 255);
            }
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using MLImage image = MLImage.CreateFromPixels(Width, Height, MLPixelFormat.Rgba32, rgba);
        image.Save(path);
    }

    private sealed class ImageFile
    {
        public string Path { get; set; } = "";

        public string Label { get; set; } = "";
    }
}
