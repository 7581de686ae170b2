namespace Octopus.Mqtt;

/// <summary>One decoded PEM block: its label (<c>CERTIFICATE</c>, <c>PRIVATE KEY</c>, …) and its DER bytes.</summary>
/// <param name="Label">The label between <c>-----BEGIN </c> and <c>-----</c>.</param>
/// <param name="Data">The decoded bytes.</param>
internal readonly record struct PemBlock(string Label, byte[] Data);
