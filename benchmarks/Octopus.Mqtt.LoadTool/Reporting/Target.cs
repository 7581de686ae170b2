namespace Octopus.Mqtt.LoadTool.Reporting;

/// <summary>One target of the issue, checked against this run's figures.</summary>
internal sealed record Target(string Name, double Measured, string Requirement, bool Met);
