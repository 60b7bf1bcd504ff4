using Microsoft.ML;
using Microsoft.ML.Data;

namespace TabularRobustness;

/// <summary>
/// The predicted fare along trip distance for one typical trip (every other column fixed), from each model: a tree
/// ensemble's prediction is a step function of every feature, the network's a continuous one. The rows go through the
/// same featurizer the models were trained behind.
/// </summary>
public static class TaxiResponseCurve
{
    /// <summary>The fixed columns of the typical trip: the training rows' most common categories and median time.</summary>
    public static TaxiTrip TypicalTrip(IReadOnlyList<TaxiTrip> train) => new()
    {
        VendorId = Mode(train.Select(t => t.VendorId)),
        RateCode = Mode(train.Select(t => t.RateCode)),
        PaymentType = Mode(train.Select(t => t.PaymentType)),
        PassengerCount = Mode(train.Select(t => t.PassengerCount)),
        TripTime = Median(train.Select(t => t.TripTime)),
    };

    /// <summary>
    /// The distances (<paramref name="points"/> evenly from <paramref name="from"/> to <paramref name="to"/> miles) and each
    /// model's predicted fare at them, for <paramref name="trip"/> with its distance replaced.
    /// </summary>
    public static (double[] Distances, List<(string Name, double[] Fares)> Curves) Compute(MLContext mlContext, TabularDataSet data,
        IEnumerable<Contender> models, TaxiTrip trip, double from, double to, int points)
    {
        double[] distances = Enumerable.Range(0, points).Select(i => from + (to - from) * i / (points - 1)).ToArray();
        TaxiTrip[] rows = distances.Select(d => new TaxiTrip
        {
            VendorId = trip.VendorId, RateCode = trip.RateCode, PassengerCount = trip.PassengerCount, TripTime = trip.TripTime,
            PaymentType = trip.PaymentType, TripDistance = (float)d, FareAmount = 0,
        }).ToArray();
        IDataView features = data.Featurizer.Transform(mlContext.Data.LoadFromEnumerable(rows));
        var curves = new List<(string, double[])>();
        foreach (Contender model in models)
        {
            double[] fares = model.Model.Transform(features).GetColumn<float>("Score").Select(f => (double)f).ToArray();
            curves.Add((model.Name, fares));
        }

        return (distances, curves);
    }

    private static T Mode<T>(IEnumerable<T> values) where T : notnull => values.GroupBy(v => v).OrderByDescending(g => g.Count()).First().Key;

    private static float Median(IEnumerable<float> values)
    {
        float[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
