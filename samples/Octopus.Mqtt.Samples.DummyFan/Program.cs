using Octopus.Mqtt.Samples.DummyFan;

// The dummy living-room fan of the Octopus examples, as an adaptor built on Octopus.Mqtt. See docs/getting-started.md.
return await SampleHost.RunAsync(args, Console.Out, Console.Error);
