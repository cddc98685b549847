namespace PipelineSim.Analysis.Planning;

/// <summary>Rounds a recommended limit up to a number people write in a config: two significant digits.</summary>
public static class LimitRounding
{
    /// <summary>225 → 230, 24,576 → 25,000, 99.2 → 100, 18,000 → 18,000; never below the value.</summary>
    public static int UpToTwoSignificantDigits(double value)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "A limit is positive and finite.");
        if (value <= 10) return (int)Math.Ceiling(value - 1e-9);
        double unit = Math.Pow(10, Math.Floor(Math.Log10(value)) - 1);
        double rounded = Math.Ceiling(value / unit - 1e-9) * unit;
        return checked((int)Math.Round(rounded));
    }
}
