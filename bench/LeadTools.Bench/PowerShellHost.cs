using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Text.RegularExpressions;

namespace LeadTools.Bench
{
    /// <summary>
    /// The PowerShell workloads: the PowerShell 7 engine hosted in this process with the built module
    /// imported through its manifest (out/LeadTools/&lt;version&gt;/LeadTools.psd1), scripts as a user types them.
    /// </summary>
    internal static class PowerShellHost
    {
        public static string ScriptFor(string workload) => workload switch
        {
            Workloads.PsImportNull => "param($File) Import-CrmRecord -Path $File -Verbose | Out-Null",
            Workloads.PsImportForEach => "param($File) $n = 0; Import-CrmRecord -Path $File | ForEach-Object { $n++ }; $n",
            Workloads.PsImportAssign => "param($File) $global:leads = Import-CrmRecord -Path $File; $global:leads.Count",
            Workloads.PsImportAssignCompact => "param($File) $global:leads = Import-CrmRecord -Path $File -Compact; $global:leads.Count",
            Workloads.PsExport => "param($File, $Out) (Export-CrmRecord -SourcePath $File -Path $Out -PassThru).RecordCount",
            // LT_BENCH_STRATEGY=Probabilistic measures another strategy than the default (SafeMerge).
            Workloads.PsFindDuplicates => "param($File) Find-CrmDuplicate -Path $File -Verbose" + (Environment.GetEnvironmentVariable("LT_BENCH_STRATEGY") is { Length: > 0 } s ? " -Strategy " + s : string.Empty) + " | Out-Null",
            Workloads.PsSync => "param($Local, $Salesforce, $State) $n = 0; Sync-CrmRecord -LocalPath $Local -SalesforcePath $Salesforce -StatePath $State -ChangeFolder ($State + '/changes') -WarningAction SilentlyContinue | ForEach-Object { $n++ }; $n",
            _ => throw new ArgumentException("Not a PowerShell workload: " + workload),
        };

        public static void Run(WorkloadResult result, string workload, string file, string? output, int repeat)
        {
            var script = ScriptFor(workload);
            var sw = Stopwatch.StartNew();
            var iss = InitialSessionState.CreateDefault2();
            iss.ImportPSModule(new[] { RepoPaths.ModuleManifest });
            using var runspace = RunspaceFactory.CreateRunspace(iss);
            runspace.Open();
            result.SetupMs = sw.Elapsed.TotalMilliseconds;
            string? heldNote = null;
            for (var i = 0; i < repeat; i++)
            {
                using var ps = PowerShell.Create();
                ps.Runspace = runspace;
                string? syncState = null;
                if (workload == Workloads.PsSync)
                {
                    // Untimed: every run starts from the prepared state.
                    syncState = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "leadtools-bench-sync-" + Guid.NewGuid().ToString("N"));
                    LeadTools.DataGen.SyncWorkloads.CopyState(file, syncState);
                    var (local, sf, _) = LeadTools.DataGen.SyncWorkloads.PathsFor(file);
                    ps.AddScript(script).AddArgument(local).AddArgument(sf).AddArgument(syncState);
                }
                else
                {
                    ps.AddScript(script).AddArgument(file);
                    if (output != null) ps.AddArgument(output);
                }
                var holds = workload == Workloads.PsImportAssign || workload == Workloads.PsImportAssignCompact;
                long heldBefore = 0;
                if (holds)
                {
                    // Untimed: drop the previous run's records, then measure what this run's records hold.
                    using var clear = PowerShell.Create();
                    clear.Runspace = runspace;
                    clear.AddScript("$global:leads = $null").Invoke();
                    heldBefore = GC.GetTotalMemory(true);
                }
                sw.Restart();
                var outputObjects = ps.Invoke();
                result.RunsMs.Add(sw.Elapsed.TotalMilliseconds);
                if (holds && ps.Streams.Error.Count == 0)
                {
                    var held = GC.GetTotalMemory(true) - heldBefore;
                    var count = Convert.ToInt64(outputObjects.LastOrDefault()?.BaseObject ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
                    var fileBytes = new System.IO.FileInfo(file).Length;
                    if (count > 0) heldNote = $"held {held / count:N0} bytes per lead after GC ({(double)held / fileBytes:0.00}x its {fileBytes / count:N0} bytes in the file, {held / 1048576.0:N0} MiB in all)";
                }
                if (ps.Streams.Error.Count > 0)
                {
                    result.Error = $"{ps.Streams.Error.Count} error(s), first: {ps.Streams.Error[0]}";
                    break;
                }
                if (workload == Workloads.PsFindDuplicates)
                {
                    // "Strategy SalesforceStandard: 1,000,000 records, 410,000 pairs compared, 84,000 groups."
                    var said = ps.Streams.Verbose.Select(v => Regex.Match(v.Message, @"^Strategy (\S+): ([\d,]+) records, ([\d,]+) pairs compared, ([\d,]+) groups")).FirstOrDefault(m => m.Success);
                    result.Records = said == null ? -1 : long.Parse(said.Groups[2].Value.Replace(",", string.Empty), System.Globalization.CultureInfo.InvariantCulture);
                    if (said != null) result.Note = $"{said.Groups[1].Value}: {said.Groups[3].Value} pairs compared, {said.Groups[4].Value} groups";
                    continue;
                }
                if (workload == Workloads.PsImportNull)
                {
                    // Nothing reaches the output; the cmdlet's closing verbose message says how many records it read.
                    var said = ps.Streams.Verbose.Select(v => Regex.Match(v.Message, @"^Read (\d+) record")).FirstOrDefault(m => m.Success);
                    result.Records = said == null ? -1 : long.Parse(said.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    continue;
                }
                if (syncState != null)
                {
                    System.IO.Directory.Delete(syncState, true);
                    result.Records = result.Size;
                    result.Note = $"{outputObjects.LastOrDefault()?.BaseObject} changes";
                    continue;
                }
                var last = outputObjects.LastOrDefault()?.BaseObject;
                result.Records = last == null ? -1 : Convert.ToInt64(last, System.Globalization.CultureInfo.InvariantCulture);
            }
            var core = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "LeadTools.Core");
            var config = core?.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "?";
            var cmdlets = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "LeadTools.PowerShell");
            result.Note = (heldNote != null ? heldNote + "; " : "") + $"LeadTools.PowerShell from {cmdlets?.Location ?? "(not loaded)"}; LeadTools.Core ({config}) from {core?.Location ?? "(not loaded)"}";
        }
    }
}
