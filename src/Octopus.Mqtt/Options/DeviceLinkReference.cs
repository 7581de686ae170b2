namespace Octopus.Mqtt;

/// <summary>
/// Points at one item of one of the DeviceLink's references (a Secret, a ConfigMap or a downward-API source),
/// as the <c>*Ref</c> fields of the options do: <c>{ name, item }</c>.
/// </summary>
public sealed class DeviceLinkReference
{
    /// <summary>Gets or sets the name of the reference.</summary>
    /// <value>The default value is an empty string; a reference needs a non-empty name.</value>
    public string Name { get; set; } = string.Empty;

    /// <summary>Gets or sets the key of the item inside the reference.</summary>
    /// <value>The default value is an empty string; a reference needs a non-empty item.</value>
    public string Item { get; set; } = string.Empty;

    /// <inheritdoc />
    public override string ToString() => $"{Name}/{Item}";
}
