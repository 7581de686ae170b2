namespace Octopus.Mqtt;

/// <summary>The kind of value one field of the options holds, as the readers check it.</summary>
internal enum OptionsFieldKind
{
    /// <summary>An object with the fields listed in <see cref="OptionsField.Children"/>.</summary>
    Object,

    /// <summary>A string.</summary>
    String,

    /// <summary><see langword="true"/> or <see langword="false"/>.</summary>
    Boolean,

    /// <summary>A whole number that fits an <see cref="int"/>.</summary>
    Integer,

    /// <summary>A Go duration string (from configuration, a <see cref="TimeSpan"/> string too).</summary>
    Duration,

    /// <summary>Base64, standard or URL-safe, padded or not.</summary>
    Base64,

    /// <summary><c>Memory</c> or <c>File</c>, in any case.</summary>
    StoreType,

    /// <summary>A map of header names to lists of values.</summary>
    HeaderMap,

    /// <summary>A list of strings (from configuration, indexed children or one string).</summary>
    StringList,
}
