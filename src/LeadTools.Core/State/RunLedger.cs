using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using LeadTools.Core.Export;
using LeadTools.Core.IO;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace LeadTools.Core.State
{
    /// <summary>
    /// A test seam: <c>LEADTOOLS_FAULT=&lt;point&gt;</c> kills the process (SIGKILL, as <c>kill -9</c>) when it reaches the
    /// named commit point, <c>LEADTOOLS_FAULT=io:&lt;point&gt;</c> makes the write there fail with an <see cref="IOException"/>.
    /// Several points may be given, separated by commas. Points, in order: <c>stage-file</c> (change files staged, state
    /// files not yet), <c>staged</c> (everything staged, not committed), <c>committed</c> (the run is recorded, nothing
    /// applied), <c>state-applied</c> (journal / undo record / key store in place, change files not yet published),
    /// <c>publish-file</c> (the first change file published, the folder's manifest still incomplete), <c>published</c>
    /// (manifest complete, the run still marked pending). Unset in normal use: the check is one environment read.
    /// </summary>
    public static class FaultInjection
    {
        /// <summary>The environment variable.</summary>
        public const string EnvironmentVariable = "LEADTOOLS_FAULT";

        /// <summary>The commit points, in the order a run reaches them.</summary>
        public static readonly IReadOnlyList<string> Points = new[] { "stage-file", "staged", "committed", "state-applied", "publish-file", "published" };

        /// <summary>Kills the process or throws when <see cref="EnvironmentVariable"/> names <paramref name="point"/>.</summary>
        public static void Point(string point)
        {
            var spec = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (string.IsNullOrEmpty(spec)) return;
            foreach (var raw in spec!.Split(','))
            {
                var p = raw.Trim();
                if (p == point || p == "kill:" + point)
                {
                    Process.GetCurrentProcess().Kill();
                    Thread.Sleep(Timeout.Infinite);
                }
                if (p == "io:" + point) throw new IOException($"Injected write failure at commit point '{point}' ({EnvironmentVariable}).");
            }
        }
    }

    /// <summary>A change folder that holds another run's files (or files LeadTools did not write): this run's would mix with them.</summary>
    public sealed class ChangeFolderInUseException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public ChangeFolderInUseException(string message, string? otherRunId) : base(message) => OtherRunId = otherRunId;

        /// <summary>The run whose files are there, when its manifest says.</summary>
        public string? OtherRunId { get; }
    }

    /// <summary>A run was committed (its state is recorded) but a later step failed; the next run in the state folder completes it.</summary>
    public sealed class RunPendingException : IOException
    {
        /// <summary>Creates the exception.</summary>
        public RunPendingException(string message, string runId, Exception inner) : base(message, inner) => RunId = runId;

        /// <summary>The pending run.</summary>
        public string RunId { get; }
    }

    /// <summary>One change file of a run: its name, how many records it holds (null for parts of a tree plan) and its size and hash.</summary>
    public sealed class ChangeFileInfo
    {
        /// <summary>Creates the entry.</summary>
        public ChangeFileInfo(string name, long? records, long bytes, string sha256)
        {
            Name = name;
            Records = records;
            Bytes = bytes;
            Sha256 = sha256;
        }

        /// <summary>The file name.</summary>
        public string Name { get; }
        /// <summary>Records in it.</summary>
        public long? Records { get; }
        /// <summary>Its size.</summary>
        public long Bytes { get; }
        /// <summary>SHA-256 of its content (hex).</summary>
        public string Sha256 { get; }

        internal JObject ToJson() => new JObject { ["name"] = Name, ["records"] = Records, ["bytes"] = Bytes, ["sha256"] = Sha256 };

        internal static ChangeFileInfo FromJson(JObject o) => new ChangeFileInfo((string)o["name"]!, (long?)o["records"], (long)o["bytes"]!, (string)o["sha256"]!);

        internal static string Hash(string path)
        {
            using var sha = SHA256.Create();
            using var stream = File.OpenRead(path);
            return string.Concat(sha.ComputeHash(stream).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>
    /// The manifest of a change folder (<c>leadtools-manifest.json</c>): the run that wrote it, the command, each file with
    /// its record count, and whether the folder is complete. Written first as incomplete and last as complete, so a folder
    /// without a complete manifest is known to be partial, and a folder is never shared by two runs.
    /// </summary>
    public sealed class ChangeManifest
    {
        /// <summary>The file name in the change folder.</summary>
        public const string FileName = "leadtools-manifest.json";
        private const string Schema = "leadtools.changeset";

        /// <summary>Creates a manifest.</summary>
        public ChangeManifest(string runId, string command, bool completed, IEnumerable<ChangeFileInfo> files, DateTime at)
        {
            RunId = runId;
            Command = command;
            Completed = completed;
            Files = files.ToList();
            At = at;
        }

        /// <summary>The run.</summary>
        public string RunId { get; }
        /// <summary>The command that made the run.</summary>
        public string Command { get; }
        /// <summary>True once every file is in the folder.</summary>
        public bool Completed { get; }
        /// <summary>The files.</summary>
        public IReadOnlyList<ChangeFileInfo> Files { get; }
        /// <summary>When the run was committed.</summary>
        public DateTime At { get; }

        /// <summary>Writes the manifest atomically into <paramref name="folder"/>.</summary>
        public void Write(string folder)
        {
            var o = new JObject
            {
                ["schema"] = Schema,
                ["version"] = 1,
                ["run"] = RunId,
                ["command"] = Command,
                ["at"] = At.ToString("o", CultureInfo.InvariantCulture),
                ["completed"] = Completed,
                ["files"] = new JArray(Files.Select(f => f.ToJson())),
            };
            RunLedger.WriteJson(Path.Combine(folder, FileName), o);
        }

        /// <summary>Reads the manifest of a folder; null when there is none; a damaged one throws <see cref="InvalidDataException"/>.</summary>
        public static ChangeManifest? Read(string folder)
        {
            var path = Path.Combine(folder, FileName);
            if (!File.Exists(path)) return null;
            try
            {
                var o = JObject.Parse(File.ReadAllText(path, new UTF8Encoding(false, true)));
                if ((string?)o["schema"] != Schema) throw new InvalidDataException($"{path} line 1: not a LeadTools change-folder manifest.");
                var version = (int?)o["version"] ?? 0;
                if (version != 1) throw new InvalidDataException($"{path} line 1: manifest version {version} is not one this LeadTools reads (1).");
                return new ChangeManifest((string)o["run"]!, (string?)o["command"] ?? "?", (bool)o["completed"]!,
                    ((JArray)o["files"]!).Select(f => ChangeFileInfo.FromJson((JObject)f)),
                    DateTime.Parse((string)o["at"]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidCastException || ex is NullReferenceException || ex is FormatException || ex is ArgumentException || ex is DecoderFallbackException)
            {
                throw new InvalidDataException($"{path}: the change-folder manifest is not valid: {ex.Message}");
            }
        }

        /// <summary>
        /// Refuses a change folder this run may not write into: a file; a folder with another run's manifest; a folder with
        /// files but no manifest. An empty or missing folder, or one holding this run's own files, is fine.
        /// </summary>
        public static void CheckFolder(string folder, string runId)
        {
            if (File.Exists(folder)) throw new ChangeFolderInUseException($"The change folder {folder} is a file; give a folder.", null);
            if (!Directory.Exists(folder)) return;
            AtomicFileWriter.RemoveStaleTempFiles(folder);
            ChangeManifest? manifest;
            try
            {
                manifest = Read(folder);
            }
            catch (InvalidDataException ex)
            {
                throw new ChangeFolderInUseException($"The change folder {folder} holds a damaged manifest ({ex.Message}); write into a new or empty folder.", null);
            }
            if (manifest != null && string.Equals(manifest.RunId, runId, StringComparison.Ordinal)) return;
            var entries = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (entries.Count == 0) return;
            if (manifest != null)
            {
                throw new ChangeFolderInUseException(
                    $"The change folder {folder} holds the change files of run {manifest.RunId} ({manifest.Command}, {(manifest.Completed ? "complete" : "incomplete")}: {string.Join(", ", manifest.Files.Select(f => f.Name))}); " +
                    "this run's files would mix with them. Write into a new or empty folder (one per run), or move those files away once loaded. Nothing was changed.", manifest.RunId);
            }
            throw new ChangeFolderInUseException(
                $"The change folder {folder} is not empty ({string.Join(", ", entries.Take(5))}{(entries.Count > 5 ? ", ..." : string.Empty)}) and has no LeadTools manifest; this run's files would mix with them. " +
                "Write into a new or empty folder. Nothing was changed.", null);
        }
    }

    /// <summary>The commit record of a run (<c>&lt;state&gt;/runs/&lt;run&gt;/run.json</c>): what it stages and where it goes.</summary>
    public sealed class RunRecord
    {
        internal RunRecord(string runId, string command, DateTime at, string? changeFolder, string ledger = RunLedger.KeyStoreLedger)
        {
            RunId = runId;
            Command = command;
            At = at;
            ChangeFolder = changeFolder;
            Ledger = ledger;
        }

        /// <summary>The ledger (folder under the state folder) that holds the run: <c>runs</c>, <c>sync-runs</c> or <c>tag-runs</c>.</summary>
        public string Ledger { get; }

        /// <summary>The run.</summary>
        public string RunId { get; }
        /// <summary>The command.</summary>
        public string Command { get; }
        /// <summary>When it was committed.</summary>
        public DateTime At { get; }
        /// <summary>The change folder asked for (full path), or null.</summary>
        public string? ChangeFolder { get; }
        /// <summary>Staged state files (names in the run folder) and their places in the state folder (relative).</summary>
        public List<KeyValuePair<string, string>> StateFiles { get; } = new List<KeyValuePair<string, string>>();
        /// <summary>The change files (kept in the run folder's changes/ so they can be written again).</summary>
        public List<ChangeFileInfo> Files { get; } = new List<ChangeFileInfo>();
        /// <summary>SHA-256 of each staged state file (by staged name): a staged file damaged since is never put in place.</summary>
        public Dictionary<string, string> StateHashes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
        /// <summary>Files written outside the change folder (an operations file): staged name in outputs/ and full target path, with size and hash.</summary>
        public List<KeyValuePair<string, ChangeFileInfo>> Outputs { get; } = new List<KeyValuePair<string, ChangeFileInfo>>();

        internal JObject ToJson() => new JObject
        {
            ["schema"] = "leadtools.run",
            ["version"] = 1,
            ["run"] = RunId,
            ["command"] = Command,
            ["at"] = At.ToString("o", CultureInfo.InvariantCulture),
            ["changeFolder"] = ChangeFolder,
            ["state"] = new JArray(StateFiles.Select(s =>
            {
                var o = new JObject { ["staged"] = s.Key, ["to"] = s.Value };
                if (StateHashes.TryGetValue(s.Key, out var hash)) o["sha256"] = hash;
                return o;
            })),
            ["files"] = new JArray(Files.Select(f => f.ToJson())),
            ["outputs"] = new JArray(Outputs.Select(o => new JObject { ["to"] = o.Key, ["file"] = o.Value.ToJson() })),
        };

        internal static RunRecord FromJson(JObject o, string path, string ledger)
        {
            if ((string?)o["schema"] != "leadtools.run") throw new InvalidDataException($"{path} line 1: not a LeadTools run record.");
            var version = (int?)o["version"] ?? 0;
            if (version != 1) throw new InvalidDataException($"{path} line 1: run record version {version} is not one this LeadTools reads (1).");
            var r = new RunRecord((string)o["run"]!, (string)o["command"]!, DateTime.Parse((string)o["at"]!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), (string?)o["changeFolder"], ledger);
            foreach (JObject s in (JArray)o["state"]!)
            {
                r.StateFiles.Add(new KeyValuePair<string, string>((string)s["staged"]!, (string)s["to"]!));
                if (s["sha256"] != null) r.StateHashes[(string)s["staged"]!] = (string)s["sha256"]!;
            }
            foreach (JObject f in (JArray)o["files"]!) r.Files.Add(ChangeFileInfo.FromJson(f));
            // Records written before outputs existed have none.
            if (o["outputs"] is JArray outputs)
            {
                foreach (JObject x in outputs) r.Outputs.Add(new KeyValuePair<string, ChangeFileInfo>((string)x["to"]!, ChangeFileInfo.FromJson((JObject)x["file"]!)));
            }
            return r;
        }
    }

    /// <summary>
    /// The commit protocol of runs that change durable state and write change files (Convert-LeadRecord, Merge-CrmRecord,
    /// Undo-CrmMerge). Everything is first written to a staging folder (<c>runs/.&lt;run&gt;.staging</c>: change files,
    /// journal, undo record, key store); renaming it to <c>runs/&lt;run&gt;</c> is the commit point. Then the state files
    /// are moved into place, the change files are published (manifest incomplete, files, manifest complete) and the
    /// <c>pending</c> mark is removed. A run that dies before the commit point left only a staging folder, which the next
    /// run deletes: it never happened. A run that dies after it is completed by the next run (every step can be repeated).
    /// The run folder keeps its change files, so <see cref="RunLedger.Republish"/> can write them again.
    /// All of it runs under the key-store lock.
    /// </summary>
    public sealed class RunTransaction : IDisposable
    {
        private readonly string _stateFolder;
        private readonly string _staging;
        private readonly RunRecord _record;
        private bool _committed;

        private RunTransaction(string stateFolder, RunRecord record)
        {
            _stateFolder = stateFolder;
            _record = record;
            _staging = Path.Combine(RunLedger.Folder(stateFolder, record.Ledger), "." + record.RunId + ".staging");
            if (Directory.Exists(_staging)) Directory.Delete(_staging, true);
            Directory.CreateDirectory(_staging);
        }

        /// <summary>Starts staging run <paramref name="runId"/> of <paramref name="command"/>; <paramref name="changeFolder"/> (full path) may be null.</summary>
        public static RunTransaction Begin(string stateFolder, string runId, string command, string? changeFolder) =>
            Begin(stateFolder, runId, command, changeFolder, RunLedger.KeyStoreLedger);

        /// <summary>As <see cref="Begin(string, string, string, string)"/>, in ledger <paramref name="ledger"/> (one per state lock: <see cref="RunLedger.KeyStoreLedger"/>, <see cref="RunLedger.SyncLedger"/>, <see cref="RunLedger.TagLedger"/>).</summary>
        public static RunTransaction Begin(string stateFolder, string runId, string command, string? changeFolder, string ledger) =>
            new RunTransaction(stateFolder, new RunRecord(runId, command, DateTime.UtcNow, changeFolder, ledger));

        /// <summary>The run.</summary>
        public RunRecord Record => _record;

        /// <summary>Stages the change files (checking first that the change folder is free for this run).</summary>
        public void StageChanges(ChangeSet changes)
        {
            if (_record.ChangeFolder == null) throw new InvalidOperationException("The run has no change folder.");
            StageChangeFiles(folder => changes.WriteFiles(folder));
        }

        /// <summary>
        /// Stages change files: <paramref name="write"/> writes them into the folder given and returns each path with its
        /// record count (checking first that the change folder is free for this run). May be called more than once.
        /// </summary>
        public void StageChangeFiles(Func<string, IEnumerable<(string Path, long? Records)>> write)
        {
            if (_record.ChangeFolder == null) throw new InvalidOperationException("The run has no change folder.");
            ChangeManifest.CheckFolder(_record.ChangeFolder, _record.RunId);
            var folder = Path.Combine(_staging, "changes");
            Directory.CreateDirectory(folder);
            foreach (var f in write(folder))
            {
                var name = Path.GetFileName(f.Path);
                if (_record.Files.Any(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase))) throw new InvalidOperationException($"Run {_record.RunId} stages the change file {name} twice.");
                _record.Files.Add(new ChangeFileInfo(name, f.Records, new FileInfo(f.Path).Length, ChangeFileInfo.Hash(f.Path)));
            }
            FaultInjection.Point("stage-file");
        }

        /// <summary>
        /// Stages a file that goes outside the change folder (an operations file) to the full path <paramref name="target"/>,
        /// written atomically after the change files when the run completes (an existing file is replaced).
        /// </summary>
        public void StageOutput(string target, long? records, Action<string> write)
        {
            var folder = Path.Combine(_staging, "outputs");
            Directory.CreateDirectory(folder);
            var name = _record.Outputs.Count.ToString(CultureInfo.InvariantCulture) + "-" + Path.GetFileName(target);
            var path = Path.Combine(folder, name);
            write(path);
            _record.Outputs.Add(new KeyValuePair<string, ChangeFileInfo>(Path.GetFullPath(target), new ChangeFileInfo(name, records, new FileInfo(path).Length, ChangeFileInfo.Hash(path))));
            FaultInjection.Point("stage-file");
        }

        /// <summary>Stages a state file: <paramref name="write"/> writes it to the path given; it goes to <paramref name="target"/> (relative to the state folder) on commit.</summary>
        public void StageState(string target, Action<string> write)
        {
            var name = "state-" + _record.StateFiles.Count.ToString(CultureInfo.InvariantCulture) + "-" + Path.GetFileName(target);
            var path = Path.Combine(_staging, name);
            write(path);
            _record.StateFiles.Add(new KeyValuePair<string, string>(name, target.Replace('\\', '/')));
            _record.StateHashes[name] = ChangeFileInfo.Hash(path);
        }

        /// <summary>
        /// Commits (the staging folder becomes the run folder) and completes the run: state files into place, change files
        /// published. A failure after the commit point throws <see cref="RunPendingException"/>: the run stays pending and
        /// the next run in the state folder completes it. Returns the change files published.
        /// </summary>
        public IReadOnlyList<string> Commit()
        {
            FaultInjection.Point("staged");
            RunLedger.WriteJson(Path.Combine(_staging, RunLedger.RecordFile), _record.ToJson());
            File.WriteAllText(Path.Combine(_staging, RunLedger.PendingFile), "pending\n");
            var runFolder = RunLedger.RunFolder(_stateFolder, _record.RunId, _record.Ledger);
            Directory.Move(_staging, runFolder); // the commit point
            _committed = true;
            AtomicFileWriter.SyncDirectory(RunLedger.Folder(_stateFolder, _record.Ledger));
            try
            {
                FaultInjection.Point("committed");
                return RunLedger.Complete(_stateFolder, _record);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new RunPendingException(
                    $"Run {_record.RunId} is committed but could not be completed: {ex.Message} Its files are kept in {runFolder}; the next LeadTools run with this state folder completes it" +
                    (_record.ChangeFolder != null ? $", or Export-CrmChangeSet -RunId {_record.RunId} -Path <folder> writes its change files elsewhere." : "."),
                    _record.RunId, ex);
            }
        }

        /// <summary>Removes the staging folder of a run that was not committed: it never happened.</summary>
        public void Dispose()
        {
            if (_committed) return;
            try
            {
                if (Directory.Exists(_staging)) Directory.Delete(_staging, true);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // The next run removes it.
            }
        }
    }

    /// <summary>
    /// The runs of a state folder: recovery of interrupted runs and writing a run's change files again. Runs live in one
    /// ledger per state lock, so a command recovers only runs whose state it holds the lock of: <c>runs/</c> (key store:
    /// Convert-LeadRecord, Merge-CrmRecord, Undo-CrmMerge), <c>sync-runs/</c> (sync state: Sync-CrmRecord) and
    /// <c>tag-runs/</c> (Sync-PersonAccountTags, which has no state of its own).
    /// </summary>
    public static class RunLedger
    {
        internal const string RecordFile = "run.json";
        internal const string PendingFile = "pending";

        /// <summary>The ledger of the key-store commands (lock <c>keystore</c>).</summary>
        public const string KeyStoreLedger = "runs";
        /// <summary>The ledger of Sync-CrmRecord (lock <c>syncstate</c>).</summary>
        public const string SyncLedger = "sync-runs";
        /// <summary>The ledger of Sync-PersonAccountTags (lock <c>tagsync</c>).</summary>
        public const string TagLedger = "tag-runs";

        /// <summary>Every ledger with the name of the state lock that guards it.</summary>
        public static readonly IReadOnlyList<KeyValuePair<string, string>> Ledgers = new[]
        {
            new KeyValuePair<string, string>(KeyStoreLedger, "keystore"),
            new KeyValuePair<string, string>(SyncLedger, "syncstate"),
            new KeyValuePair<string, string>(TagLedger, "tagsync"),
        };

        /// <summary>The runs folder of a state folder.</summary>
        public static string Folder(string stateFolder, string ledger = KeyStoreLedger) => Path.Combine(stateFolder, ledger);

        /// <summary>The folder of one committed run.</summary>
        public static string RunFolder(string stateFolder, string runId, string ledger = KeyStoreLedger) => Path.Combine(Folder(stateFolder, ledger), runId);

        /// <summary>The ledger holding committed run <paramref name="runId"/>, or null when no ledger has it.</summary>
        public static string? LedgerOf(string stateFolder, string runId)
        {
            if (string.IsNullOrEmpty(runId) || runId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || runId.StartsWith(".", StringComparison.Ordinal)) return null;
            foreach (var l in Ledgers)
            {
                if (File.Exists(Path.Combine(RunFolder(stateFolder, runId, l.Key), RecordFile))) return l.Key;
            }
            return null;
        }

        /// <summary>A new run id: the UTC time and six random hex digits (20261124T101500Z-3f9a2c).</summary>
        public static string NewRunId() => DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);

        /// <summary>True when a run was interrupted (a staging folder or a pending run): <see cref="Recover"/> has work.</summary>
        public static bool NeedsRecovery(string stateFolder, string ledger = KeyStoreLedger)
        {
            var folder = Folder(stateFolder, ledger);
            if (!Directory.Exists(folder)) return false;
            foreach (var dir in Directory.GetDirectories(folder))
            {
                var name = Path.GetFileName(dir);
                if (name.StartsWith(".", StringComparison.Ordinal) && name.EndsWith(".staging", StringComparison.Ordinal)) return true;
                if (File.Exists(Path.Combine(dir, PendingFile))) return true;
            }
            return false;
        }

        /// <summary>
        /// Finishes what interrupted runs left (call under the ledger's state lock, before loading state): staging folders
        /// of runs never committed are deleted; committed runs are completed. Returns a sentence per run for the user.
        /// A run whose change files still cannot be published stays pending and is reported again; a run whose staged
        /// state file is damaged is refused (<see cref="InvalidDataException"/>), its state never put in place.
        /// </summary>
        public static List<string> Recover(string stateFolder, string ledger = KeyStoreLedger)
        {
            var notes = new List<string>();
            if (ledger == KeyStoreLedger)
            {
                // Temporary files of writers killed in the state folder itself (the key store) or in journal/.
                if (Directory.Exists(stateFolder)) AtomicFileWriter.RemoveStaleTempFiles(stateFolder);
                if (Directory.Exists(Path.Combine(stateFolder, "journal"))) AtomicFileWriter.RemoveStaleTempFiles(Path.Combine(stateFolder, "journal"));
            }
            var folder = Folder(stateFolder, ledger);
            if (!Directory.Exists(folder)) return notes;
            foreach (var dir in Directory.GetDirectories(folder).OrderBy(d => d, StringComparer.Ordinal))
            {
                var name = Path.GetFileName(dir);
                if (name.StartsWith(".", StringComparison.Ordinal) && name.EndsWith(".staging", StringComparison.Ordinal))
                {
                    Directory.Delete(dir, true);
                    notes.Add($"Run {name.Substring(1, name.Length - 9)} was interrupted before it was committed; nothing of it was applied (its staged files were removed). Run it again.");
                    continue;
                }
                if (!File.Exists(Path.Combine(dir, PendingFile))) continue;
                var record = Load(stateFolder, name, ledger);
                try
                {
                    var files = Complete(stateFolder, record);
                    notes.Add($"Run {record.RunId} ({record.Command}, committed {record.At:yyyy-MM-dd HH:mm:ss} UTC) was interrupted after it was committed and has now been completed" +
                        (record.ChangeFolder != null || record.Outputs.Count > 0 ? $": {files.Count} file(s) written{(record.ChangeFolder != null ? " to " + record.ChangeFolder : string.Empty)}." : "."));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    notes.Add($"Run {record.RunId} ({record.Command}) is committed (its state is saved) but its files could not be written{(record.ChangeFolder != null ? " to " + record.ChangeFolder : string.Empty)}: {ex.Message} " +
                        $"They are kept in {dir}; fix the folder and any LeadTools run retries, or Export-CrmChangeSet -RunId {record.RunId} -Path <folder> writes the change files elsewhere.");
                }
            }
            return notes;
        }

        /// <summary>Reads the record of a committed run; <see cref="FileNotFoundException"/> when there is none.</summary>
        public static RunRecord Load(string stateFolder, string runId, string ledger = KeyStoreLedger)
        {
            var path = Path.Combine(RunFolder(stateFolder, runId, ledger), RecordFile);
            if (!File.Exists(path)) throw new FileNotFoundException($"There is no committed run {runId} in {Folder(stateFolder, ledger)}.", path);
            try
            {
                return RunRecord.FromJson(JObject.Parse(File.ReadAllText(path, new UTF8Encoding(false, true))), path, ledger);
            }
            catch (Exception ex) when (ex is JsonException || ex is InvalidCastException || ex is NullReferenceException || ex is FormatException || ex is ArgumentException || ex is DecoderFallbackException)
            {
                throw new InvalidDataException($"{path}: the run record is not valid: {ex.Message}");
            }
        }

        /// <summary>True while a committed run is not completed.</summary>
        public static bool IsPending(string stateFolder, string runId, string ledger = KeyStoreLedger) => File.Exists(Path.Combine(RunFolder(stateFolder, runId, ledger), PendingFile));

        /// <summary>Applies a committed run (every step may be repeated): state files into place, then the change files, then other outputs.</summary>
        internal static IReadOnlyList<string> Complete(string stateFolder, RunRecord record)
        {
            var runFolder = RunFolder(stateFolder, record.RunId, record.Ledger);
            // Every staged state file is checked before any is put in place: a damaged one (disk, an editor) would replace good state.
            foreach (var s in record.StateFiles)
            {
                var staged = Path.Combine(runFolder, s.Key);
                if (!File.Exists(staged) || !record.StateHashes.TryGetValue(s.Key, out var expected)) continue;
                var actual = ChangeFileInfo.Hash(staged);
                if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidDataException($"{staged}: the staged state file of run {record.RunId} ({record.Command}) is damaged (SHA-256 {actual}, recorded {expected}); it was not put in place and {s.Value} was left as it is. Restore the file or remove the run folder {runFolder}.");
                }
            }
            foreach (var s in record.StateFiles)
            {
                var staged = Path.Combine(runFolder, s.Key);
                if (!File.Exists(staged)) continue; // moved already
                var target = Path.Combine(stateFolder, s.Value.Replace('/', Path.DirectorySeparatorChar));
                var targetFolder = Path.GetDirectoryName(target)!;
                Directory.CreateDirectory(targetFolder);
                if (File.Exists(target)) File.Replace(staged, target, null);
                else File.Move(staged, target);
                AtomicFileWriter.SyncDirectory(targetFolder);
            }
            FaultInjection.Point("state-applied");
            var published = new List<string>();
            if (record.ChangeFolder != null) published.AddRange(Publish(stateFolder, record, record.ChangeFolder));
            published.AddRange(PublishOutputs(stateFolder, record));
            FaultInjection.Point("published");
            File.Delete(Path.Combine(runFolder, PendingFile));
            AtomicFileWriter.SyncDirectory(runFolder);
            return published;
        }

        // The files a run writes outside its change folder (an operations file), each atomically, after the change files.
        private static List<string> PublishOutputs(string stateFolder, RunRecord record)
        {
            var runFolder = RunFolder(stateFolder, record.RunId, record.Ledger);
            var published = new List<string>();
            foreach (var o in record.Outputs)
            {
                var source = Path.Combine(runFolder, "outputs", o.Value.Name);
                if (!File.Exists(source)) throw new FileNotFoundException($"The file {o.Value.Name} of run {record.RunId} is missing from {Path.GetDirectoryName(source)}.", source);
                var targetFolder = Path.GetDirectoryName(o.Key);
                if (!string.IsNullOrEmpty(targetFolder)) Directory.CreateDirectory(targetFolder);
                using (var input = File.OpenRead(source))
                using (var output = new AtomicFileWriter(o.Key, ExistingFile.Overwrite))
                {
                    input.CopyTo(output.Stream);
                    output.Commit();
                }
                published.Add(o.Key);
                FaultInjection.Point("publish-file");
            }
            return published;
        }

        /// <summary>
        /// Writes a committed run's change files into <paramref name="folder"/>: the manifest (incomplete), each file
        /// (atomically), the manifest (complete). The folder must be empty or hold this run's files.
        /// </summary>
        public static IReadOnlyList<string> Publish(string stateFolder, RunRecord record, string folder)
        {
            var archive = Path.Combine(RunFolder(stateFolder, record.RunId, record.Ledger), "changes");
            ChangeManifest.CheckFolder(folder, record.RunId);
            Directory.CreateDirectory(folder);
            new ChangeManifest(record.RunId, record.Command, false, record.Files, record.At).Write(folder);
            var written = new List<string>();
            foreach (var f in record.Files)
            {
                var source = Path.Combine(archive, f.Name);
                if (!File.Exists(source)) throw new FileNotFoundException($"The change file {f.Name} of run {record.RunId} is missing from {archive}.", source);
                var target = Path.Combine(folder, f.Name);
                using (var input = File.OpenRead(source))
                using (var output = new AtomicFileWriter(target, ExistingFile.Overwrite))
                {
                    input.CopyTo(output.Stream);
                    output.Commit();
                }
                written.Add(target);
                FaultInjection.Point("publish-file");
            }
            new ChangeManifest(record.RunId, record.Command, true, record.Files, record.At).Write(folder);
            return written;
        }

        /// <summary>
        /// Writes the change files of committed run <paramref name="runId"/> again, into <paramref name="folder"/> (empty or
        /// holding that run's files). A run still pending is completed by it (its state files are in place by then).
        /// </summary>
        public static IReadOnlyList<string> Republish(string stateFolder, string runId, string folder, string ledger = KeyStoreLedger)
        {
            var record = Load(stateFolder, runId, ledger);
            if (record.Files.Count == 0) throw new InvalidOperationException($"Run {runId} ({record.Command}) wrote no change files (it ran without -ChangeFolder, or had nothing for the CRM).");
            var written = Publish(stateFolder, record, folder);
            var runFolder = RunFolder(stateFolder, runId, ledger);
            if (IsPending(stateFolder, runId, ledger) && record.StateFiles.All(s => !File.Exists(Path.Combine(runFolder, s.Key))))
            {
                // Everything but the publishing is done by recovery before this is called; the files are now out
                // (and the run's other files, which come after the change files, are written now).
                PublishOutputs(stateFolder, record);
                File.Delete(Path.Combine(runFolder, PendingFile));
            }
            return written;
        }

        internal static void WriteJson(string path, JObject o)
        {
            using var file = new AtomicFileWriter(path, ExistingFile.Overwrite);
            var bytes = new UTF8Encoding(false).GetBytes(o.ToString(Formatting.Indented) + "\n");
            file.Stream.Write(bytes, 0, bytes.Length);
            file.Commit();
        }
    }
}
