using System.ComponentModel;
using System.Globalization;

namespace Octopus.Mqtt;

/// <summary>
/// Lets configuration binding read a <see cref="GoDuration"/> from a Go duration (<c>30s</c>) or a
/// <see cref="TimeSpan"/> string (<c>00:00:30</c>).
/// </summary>
internal sealed class GoDurationTypeConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || sourceType == typeof(TimeSpan) || base.CanConvertFrom(context, sourceType);

    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType) =>
        destinationType == typeof(string) || base.CanConvertTo(context, destinationType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) => value switch
    {
        string text => ParseConfigurationValue(text),
        TimeSpan span => GoDuration.FromTimeSpan(span),
        _ => base.ConvertFrom(context, culture, value),
    };

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is GoDuration duration
            ? duration.ToString()
            : base.ConvertTo(context, culture, value, destinationType);

    internal static GoDuration ParseConfigurationValue(string text)
    {
        var trimmed = text.Trim();
        if (GoDuration.TryParse(trimmed, out var duration, out var error))
        {
            return duration;
        }

        if (trimmed.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var span))
        {
            return GoDuration.FromTimeSpan(span);
        }

        throw new FormatException($"{error}, or a TimeSpan such as 00:00:30");
    }
}
