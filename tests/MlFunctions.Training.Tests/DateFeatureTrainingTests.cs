using System.Globalization;
using MlFunctions.Core.Features;
using MlFunctions.Core.Models;

namespace MlFunctions.Training.Tests;

/// <summary>A weather file whose signal is in its date: the proposer keeps the date, and the model learns the season from it.</summary>
public sealed class DateFeatureTrainingTests : IDisposable
{
    private readonly string _csv = Path.Combine(Directory.CreateTempSubdirectory("mlf-dates-").FullName, "weather.csv");

    public DateFeatureTrainingTests()
    {
        // Three years of daily temperatures: a seasonal cycle, a little deterministic noise, and a station
        // id that says nothing.
        var lines = Enumerable.Range(0, 3 * 365).Select(i =>
        {
            var day = new DateTime(2021, 1, 1).AddDays(i);
            var temperature = 11 - (9 * Math.Cos(2 * Math.PI * (day.DayOfYear - 15) / 365.25)) + (((i * 7919) % 100) / 100.0);
            return string.Create(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},S{i % 3},{temperature:F2}");
        });
        File.WriteAllLines(_csv, lines.Prepend("date,station,temperature"));
    }

    [Theory]
    [InlineData(ModelSpec.Linear)]
    [InlineData(ModelSpec.Tree)]
    public void The_season_is_learnt_from_an_iso_date_column(string trainer)
    {
        var result = ModelTrainer.Train(_csv, new ModelSpec { Task = ModelTask.Regression, Label = "temperature", Trainer = trainer }, "weather");

        var date = result.Bundle.Features.Columns.Single(c => c.Name == "date");
        Assert.Equal(ColumnKind.DateTime, date.Kind);
        var names = new FeatureVectorizer(result.Bundle.Features).Names;
        Assert.Contains("date:dayOfYear.sin", names);
        Assert.Contains("date:month.cos", names);
        // Without the date nothing here predicts the temperature; with it, nearly all of it.
        Assert.True(result.Bundle.Metrics["rSquared"] > 0.9, $"R² {result.Bundle.Metrics["rSquared"]}");
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_csv)!, recursive: true);
}
