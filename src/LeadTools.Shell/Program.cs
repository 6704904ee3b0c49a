using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using System.Text;

namespace LeadTools.Shell
{
    /// <summary>
    /// A console host over the PowerShell 7 engine with LeadTools imported, for machines that have the .NET SDK
    /// but no pwsh. Only the engine's own cmdlets (ForEach-Object, Where-Object, ...) and LeadTools are there.
    /// </summary>
    public static class Program
    {
        private const string Usage =
            "usage: leadtools -File <script.ps1> [arguments...]\n" +
            "       leadtools -Command '<PowerShell commands>'\n" +
            "       leadtools            (interactive)\n" +
            "The LeadTools module is imported from $env:LEADTOOLS_MODULE or the built out/LeadTools/<version>/ folder.";

        /// <summary>Entry point; the exit code is 0 when every command succeeded.</summary>
        public static int Main(string[] args)
        {
            string? file = null;
            string? command = null;
            var scriptArgs = new List<string>();
            if (args.Length > 0)
            {
                var a = args[0];
                if ((Is(a, "-File") || Is(a, "-f")) && args.Length > 1)
                {
                    file = args[1];
                    scriptArgs.AddRange(args.Skip(2));
                }
                else if ((Is(a, "-Command") || Is(a, "-c")) && args.Length > 1)
                {
                    command = string.Join(" ", args.Skip(1));
                }
                else if (Is(a, "-Help") || Is(a, "-?") || Is(a, "--help") || Is(a, "-h"))
                {
                    Console.WriteLine(Usage);
                    return 0;
                }
                else
                {
                    Console.Error.WriteLine("Unknown argument '" + a + "'.\n" + Usage);
                    return 64;
                }
            }

            string manifest;
            try
            {
                manifest = FindModule();
            }
            catch (FileNotFoundException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }

            var host = new ConsoleHost();
            var iss = InitialSessionState.CreateDefault2();
            iss.ImportPSModule(new[] { manifest });
            using var runspace = RunspaceFactory.CreateRunspace(host, iss);
            runspace.Open();
            if (Console.IsOutputRedirected)
            {
                // No ANSI colour codes in logs and pipes.
                using var plain = System.Management.Automation.PowerShell.Create();
                plain.Runspace = runspace;
                plain.AddScript("$PSStyle.OutputRendering = 'PlainText'").Invoke();
            }

            if (file != null)
            {
                if (!File.Exists(file))
                {
                    Console.Error.WriteLine($"The file '{file}' does not exist.");
                    return 2;
                }
                var full = Path.GetFullPath(file);
                var script = "& " + Quote(full) + " " + string.Join(" ", scriptArgs.Select(ArgumentText));
                return Run(runspace, host, script);
            }
            if (command != null)
            {
                return Run(runspace, host, command);
            }
            return Interactive(runspace, host);
        }

        private static bool Is(string a, string name) => string.Equals(a, name, StringComparison.OrdinalIgnoreCase);

        private static string Quote(string s) => "'" + s.Replace("'", "''") + "'";

        // Arguments that look like parameter names stay names (-Path), everything else is a literal string.
        private static string ArgumentText(string a) =>
            a.Length > 1 && a[0] == '-' && (char.IsLetter(a[1]) || a[1] == '_') && a.Skip(1).All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-' || c == ':')
                ? a
                : Quote(a);

        private static int Run(Runspace runspace, ConsoleHost host, string script)
        {
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = runspace;
            var failed = false;
            ps.Streams.Error.DataAdded += (sender, e) =>
            {
                failed = true;
                var record = ((PSDataCollection<ErrorRecord>)sender!)[e.Index];
                host.UI.WriteErrorLine(FormatError(record));
            };
            ps.AddScript(script).AddCommand("Out-Default");
            try
            {
                ps.Invoke();
            }
            catch (RuntimeException ex)
            {
                host.UI.WriteErrorLine(FormatError(ex.ErrorRecord));
                return 1;
            }
            if (host.ExitCode.HasValue) return host.ExitCode.Value;
            var lastExit = runspace.SessionStateProxy.GetVariable("LASTEXITCODE");
            if (lastExit is int code && code != 0) return code;
            return failed || ps.HadErrors ? 1 : 0;
        }

        private static int Interactive(Runspace runspace, ConsoleHost host)
        {
            Console.WriteLine("LeadTools shell (PowerShell engine " + typeof(PSObject).Assembly.GetName().Version + "). Type 'exit' to leave.");
            var last = 0;
            while (!host.ExitCode.HasValue)
            {
                Console.Write("LT " + runspace.SessionStateProxy.Path.CurrentLocation + "> ");
                var line = Console.ReadLine();
                if (line == null || line.Trim() == "exit") break;
                if (line.Trim().Length == 0) continue;
                last = Run(runspace, host, line);
            }
            return host.ExitCode ?? last;
        }

        internal static string FormatError(ErrorRecord record)
        {
            var sb = new StringBuilder();
            var command = record.InvocationInfo?.MyCommand?.Name;
            if (!string.IsNullOrEmpty(command)) sb.Append(command).Append(": ");
            sb.Append(record.ErrorDetails?.Message ?? record.Exception?.Message ?? record.ToString());
            var position = record.InvocationInfo?.ScriptName;
            if (!string.IsNullOrEmpty(position) && record.InvocationInfo!.ScriptLineNumber > 0)
            {
                sb.Append("\n  At ").Append(position).Append(':').Append(record.InvocationInfo.ScriptLineNumber);
            }
            sb.Append("\n  + ").Append(record.CategoryInfo.Category).Append(": ").Append(record.FullyQualifiedErrorId);
            return sb.ToString();
        }

        /// <summary>$env:LEADTOOLS_MODULE, else the newest out/LeadTools/&lt;version&gt;/LeadTools.psd1 above the program.</summary>
        internal static string FindModule()
        {
            var env = Environment.GetEnvironmentVariable("LEADTOOLS_MODULE");
            if (!string.IsNullOrEmpty(env)) return env;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var outDir = Path.Combine(dir.FullName, "out", "LeadTools");
                if (!Directory.Exists(outDir)) continue;
                var manifest = Directory.GetDirectories(outDir)
                    .Select(d => new { Dir = d, Version = Version.TryParse(Path.GetFileName(d), out var v) ? v : null })
                    .Where(x => x.Version != null && File.Exists(Path.Combine(x.Dir, "LeadTools.psd1")))
                    .OrderByDescending(x => x.Version)
                    .Select(x => Path.Combine(x.Dir, "LeadTools.psd1"))
                    .FirstOrDefault();
                if (manifest != null) return manifest;
            }
            throw new FileNotFoundException("The LeadTools module is not built: run 'dotnet build' (it lays it out in out/LeadTools/<version>/), or set LEADTOOLS_MODULE.");
        }
    }

    /// <summary>A minimal console host: output through Out-Default, warnings and errors to stderr-style lines.</summary>
    internal sealed class ConsoleHost : PSHost
    {
        private readonly ConsoleUI _ui = new ConsoleUI();
        private readonly Guid _id = Guid.NewGuid();

        public int? ExitCode { get; private set; }
        public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;
        public override Guid InstanceId => _id;
        public override string Name => "LeadToolsShell";
        public override PSHostUserInterface UI => _ui;
        public override Version Version => typeof(ConsoleHost).Assembly.GetName().Version ?? new Version(0, 1);
        public override void EnterNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported.");
        public override void ExitNestedPrompt() => throw new NotSupportedException("Nested prompts are not supported.");
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;
    }

    internal sealed class ConsoleUI : PSHostUserInterface
    {
        private readonly ConsoleRawUI _raw = new ConsoleRawUI();
        public override PSHostRawUserInterface RawUI => _raw;
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions)
        {
            var result = new Dictionary<string, PSObject>();
            Console.WriteLine(caption);
            Console.WriteLine(message);
            foreach (var d in descriptions)
            {
                Console.Write(d.Name + ": ");
                result[d.Name] = new PSObject(Console.ReadLine() ?? string.Empty);
            }
            return result;
        }

        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Console.WriteLine(caption);
            Console.WriteLine(message);
            for (var i = 0; i < choices.Count; i++) Console.WriteLine($"[{i}] {choices[i].Label.Replace("&", string.Empty)}");
            Console.Write($"Choice (default {defaultChoice}): ");
            var line = Console.ReadLine();
            return int.TryParse(line, out var n) && n >= 0 && n < choices.Count ? n : defaultChoice;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException("Credential prompts are not supported.");
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException("Credential prompts are not supported.");
        public override string ReadLine() => Console.ReadLine() ?? string.Empty;
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("Secure input is not supported.");
        // Logs and pipes get plain text: the formatter's ANSI styling is only for terminals.
        private static readonly bool Plain = Console.IsOutputRedirected;
        private static readonly System.Text.RegularExpressions.Regex Ansi = new System.Text.RegularExpressions.Regex("\u001b\\[[0-9;]*[A-Za-z]");

        private static string Text(string value) => Plain ? Ansi.Replace(value, string.Empty) : value;

        public override void Write(string value) => Console.Write(Text(value));
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Write(Text(value));
        public override void WriteLine(string value) => Console.WriteLine(Text(value));
        public override void WriteDebugLine(string message) => Console.Error.WriteLine("DEBUG: " + message);
        public override void WriteErrorLine(string value) => Console.Error.WriteLine(value);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) => Console.Error.WriteLine("VERBOSE: " + message);
        public override void WriteWarningLine(string message) => Console.Error.WriteLine("WARNING: " + message);
    }

    internal sealed class ConsoleRawUI : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override Size BufferSize { get => new Size(Width, 9999); set { } }
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; } = 1;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new Size(Width, 100);
        public override Size MaxWindowSize => new Size(Width, 100);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get => new Size(Width, 50); set { } }
        public override string WindowTitle { get; set; } = "LeadTools";

        private static int Width
        {
            get
            {
                try
                {
                    return Console.IsOutputRedirected ? 160 : Math.Max(80, Console.WindowWidth);
                }
                catch (IOException)
                {
                    return 160;
                }
            }
        }

        public override void FlushInputBuffer() { }
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => new BufferCell[0, 0];
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("Reading keys is not supported.");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
