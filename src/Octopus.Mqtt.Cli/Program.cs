using System.Runtime.InteropServices;
using Octopus.Mqtt.Cli;

using var stop = new CancellationTokenSource();

// SIGINT (Ctrl+C) and SIGTERM (what timeout, Docker, systemd and Kubernetes send) stop a waiting command gracefully:
// the client disconnects, so the broker does not publish the device's will. A second signal ends the process at once.
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

return await CliApp.RunAsync(args, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);

void Stop(PosixSignalContext context)
{
    context.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
}
