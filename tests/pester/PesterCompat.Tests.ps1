# Self-test of the Pester-5-compatible runner (tests/LeadTools.PowerShell.Tests/Pester/PesterCompat.ps1) that runs
# tests/pester/*.Tests.ps1 under `dotnet test`. Written in plain Pester 5 syntax: it must pass under real Pester 5 too.
# It does not use the LeadTools module.
#
# Header every Pester file uses (this file does not need the module, so here it is only shown as a comment).
# The hosted engine has no Get-ChildItem / Sort-Object, hence .NET for the fallback; `dotnet test` sets
# $env:LEADTOOLS_MODULE to the built manifest:
#
#   BeforeAll {
#       $manifest = if ($env:LEADTOOLS_MODULE) { $env:LEADTOOLS_MODULE } else {
#           $outDir = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../out/LeadTools")
#           [string[]] $found = if ([System.IO.Directory]::Exists($outDir)) { [System.IO.Directory]::GetFiles($outDir, 'LeadTools.psd1', 'AllDirectories') }
#           if (-not $found) { throw "LeadTools is not built: run 'dotnet build' first (looked in $outDir)." }
#           [System.Array]::Sort($found, [System.StringComparer]::Ordinal)
#           $found[-1]
#       }
#       Import-Module $manifest -Force
#   }

BeforeDiscovery {
    $wordCases = @(
        @{ Word = 'alpha'; Length = 5 }
        @{ Word = 'be'; Length = 2 }
    )
    $kinds = @(
        @{ Kind = 'first'; Number = 1 }
        @{ Kind = 'second'; Number = 2 }
    )
}

BeforeAll {
    $fileLevel = 'from the top-level BeforeAll'

    function Get-Doubled([int] $Value) { $Value * 2 }

    function Invoke-Failing {
        [CmdletBinding()]
        param()
        $record = [System.Management.Automation.ErrorRecord]::new(
            [System.InvalidOperationException]::new('It broke'), 'Failing.Id', [System.Management.Automation.ErrorCategory]::InvalidOperation, $null)
        $PSCmdlet.ThrowTerminatingError($record)
    }
}

Describe 'Should' {
    Context 'equality' {
        It '-Be compares like -eq' {
            3 | Should -Be 3
            'abc' | Should -Be 'ABC'
            Get-Doubled 2 | Should -Be 4
            $null | Should -Be $null
        }

        It '-BeExactly is case sensitive' {
            'abc' | Should -BeExactly 'abc'
            'abc' | Should -Not -BeExactly 'ABC'
        }

        It '-Not inverts the operator' {
            3 | Should -Not -Be 4
        }

        It '-Be compares arrays item by item' {
            @(1, 2, 3) | Should -Be @(1, 2, 3)
            { @(1, 2) | Should -Be @(1, 2, 3) } | Should -Throw
        }

        It 'fails with the Pester message' {
            { 4 | Should -Be 3 } | Should -Throw -ExpectedMessage 'Expected 3, but got 4.'
        }

        It 'puts -Because in the message' {
            { 4 | Should -Be 3 -Because 'three is expected' } | Should -Throw -ExpectedMessage 'Expected 3, because three is expected, but got 4.'
        }

        It 'describes how strings differ' {
            { 'abc' | Should -Be 'abd' } | Should -Throw -ExpectedMessage '*Expected strings to be the same*'
        }
    }

    Context 'null, empty and collections' {
        It '-BeNullOrEmpty' {
            $null | Should -BeNullOrEmpty
            '' | Should -BeNullOrEmpty
            @() | Should -BeNullOrEmpty
            'x' | Should -Not -BeNullOrEmpty
        }

        It '-HaveCount counts what the pipeline collected' {
            @(1, 2) | Should -HaveCount 2
            @() | Should -HaveCount 0
            'one' | Should -HaveCount 1
            { @(1, 2, 3) | Should -HaveCount 2 } | Should -Throw -ExpectedMessage 'Expected a collection with size 2, but got collection with size 3 @(1, 2, 3).'
        }

        It '-Contain and -BeIn' {
            @('a', 'b') | Should -Contain 'b'
            @('a', 'b') | Should -Not -Contain 'c'
            'b' | Should -BeIn @('a', 'b')
            'z' | Should -Not -BeIn @('a', 'b')
        }
    }

    Context 'types, booleans, patterns and comparisons' {
        It '-BeOfType' {
            1 | Should -BeOfType [int]
            'x' | Should -BeOfType System.String
            1 | Should -Not -BeOfType [string]
        }

        It '-BeTrue and -BeFalse' {
            $true | Should -BeTrue
            $false | Should -BeFalse
            $false | Should -Not -BeTrue
            { $false | Should -BeTrue } | Should -Throw -ExpectedMessage 'Expected $true, but got $false.'
        }

        It '-Match and -BeLike' {
            'LeadTools' | Should -Match '^Lead'
            'LeadTools' | Should -Not -Match '^Tools'
            'LeadTools' | Should -BeLike 'lead*'
            'LeadTools' | Should -Not -BeLike 'tools*'
        }

        It 'checks every piped item' {
            @(2, 3, 4) | Should -BeGreaterThan 1
            { @(2, 0, 4) | Should -BeGreaterThan 1 } | Should -Throw -ExpectedMessage 'Expected the actual value to be greater than 1, but got 0.'
        }

        It 'compares numbers' {
            5 | Should -BeGreaterThan 4
            5 | Should -BeLessThan 6
            5 | Should -BeGreaterOrEqual 5
            5 | Should -BeLessOrEqual 5
            5 | Should -Not -BeGreaterThan 5
        }
    }

    Context '-Throw' {
        It 'catches what the script block throws' {
            { throw 'boom' } | Should -Throw
            { throw 'boom' } | Should -Throw 'boom'
            { throw 'boom' } | Should -Throw -ExpectedMessage 'bo*'
        }

        It '-Not -Throw' {
            { 1 + 1 } | Should -Not -Throw
        }

        It 'fails when nothing is thrown' {
            { { $null } | Should -Throw } | Should -Throw -ExpectedMessage 'Expected an exception to be thrown, but no exception was thrown.'
        }

        It '-ErrorId is a wildcard match on the whole FullyQualifiedErrorId' {
            { Invoke-Failing } | Should -Throw -ErrorId 'Failing.Id,Invoke-Failing'
            { Invoke-Failing } | Should -Throw -ErrorId 'Failing.Id,*'
            { { Invoke-Failing } | Should -Throw -ErrorId 'Failing.Id' } | Should -Throw -ExpectedMessage "*the FullyQualifiedErrorId was 'Failing.Id,Invoke-Failing'*"
        }

        It '-ErrorId on a cmdlet error' {
            { Get-Command -Name 'No-Such-Command-For-PesterCompat' -ErrorAction Stop } | Should -Throw -ErrorId 'CommandNotFoundException,*'
        }

        It '-ExceptionType' {
            { Invoke-Failing } | Should -Throw -ExceptionType ([System.InvalidOperationException])
        }

        It '-PassThru returns the ErrorRecord' {
            $err = { Invoke-Failing } | Should -Throw -PassThru
            $err | Should -BeOfType [System.Management.Automation.ErrorRecord]
            $err.Exception.Message | Should -Be 'It broke'
        }
    }

    Context '-HaveParameter' {
        BeforeAll {
            function Get-Sample {
                [CmdletBinding()]
                param([Parameter(Mandatory = $true)] [string] $Name, [int] $Count)
            }
        }

        It 'checks name, type and mandatory' {
            Get-Command Get-Sample | Should -HaveParameter Name -Mandatory -Type [string]
            Get-Command Get-Sample | Should -HaveParameter Count -Type int
            Get-Command Get-Sample | Should -HaveParameter Count -Not -Mandatory
            Get-Command Get-Sample | Should -Not -HaveParameter Missing
            { Get-Command Get-Sample | Should -HaveParameter Count -Mandatory } | Should -Throw -ExpectedMessage "*but it wasn't mandatory*"
        }
    }

    Context '-Exist' {
        It 'checks files and folders' {
            $PSScriptRoot | Should -Exist
            [System.IO.Path]::Combine($PSScriptRoot, 'PesterCompat.Tests.ps1') | Should -Exist
            [System.IO.Path]::Combine($PSScriptRoot, 'no-such-file.txt') | Should -Not -Exist
        }
    }
}

Describe 'Data-driven tests' {
    It '<Word> has <Length> letters' -TestCases $wordCases {
        $Word.Length | Should -Be $Length
    }

    It 'item <_> of -ForEach' -ForEach @(1, 2, 3) {
        $_ | Should -BeGreaterThan 0
    }

    It 'sees a hashtable item as $_ and as variables' -ForEach @(@{ Alpha = 'a'; Beta = 'b' }) {
        $_.Alpha | Should -Be 'a'
        $Alpha | Should -Be 'a'
        $Beta | Should -Be 'b'
    }
}

Describe 'Describe -ForEach <Kind>' -ForEach $kinds {
    BeforeAll {
        $seenInBeforeAll = $Number
    }

    It 'sees the block data in BeforeAll and It' {
        $Kind | Should -BeIn @('first', 'second')
        $seenInBeforeAll | Should -Be $Number
    }

    Context 'nested Context -ForEach <Label>' -ForEach @(@{ Label = 'x' }) {
        It 'sees both blocks'' data' {
            $Label | Should -Be 'x'
            $Number | Should -BeIn @(1, 2)
        }
    }
}

Describe 'Scoping and phases' {
    BeforeAll {
        $log = [System.Collections.Generic.List[string]]::new()
        $log.Add('outer BeforeAll')
    }
    BeforeEach { $log.Add('outer BeforeEach') }
    AfterEach { $log.Add('outer AfterEach') }

    # Runs at discovery only: not visible to the tests.
    $bodyVariable = 'discovery only'

    It 'sees the top-level BeforeAll' {
        $fileLevel | Should -Be 'from the top-level BeforeAll'
    }

    It 'does not see variables of the Describe body' {
        $bodyVariable | Should -BeNullOrEmpty
    }

    It 'sets a variable that the next test must not see' {
        $leak = 'set in a test'
        $leak | Should -Not -BeNullOrEmpty
    }

    It 'does not see variables of earlier tests' {
        $leak | Should -BeNullOrEmpty
    }

    Context 'inner' {
        BeforeAll { $log.Clear(); $log.Add('inner BeforeAll') }
        BeforeEach { $log.Add('inner BeforeEach'); $fromBeforeEach = 'visible' }
        AfterEach { $log.Add('inner AfterEach') }
        AfterAll { $log.Add('inner AfterAll') }

        It 'runs BeforeAll once, then BeforeEach outer first' {
            $log.Add('first test')
            $log -join ', ' | Should -Be 'inner BeforeAll, outer BeforeEach, inner BeforeEach, first test'
        }

        It 'runs AfterEach inner first, then BeforeEach again' {
            $log -join ', ' | Should -Be 'inner BeforeAll, outer BeforeEach, inner BeforeEach, first test, inner AfterEach, outer AfterEach, outer BeforeEach, inner BeforeEach'
        }

        It 'shares the BeforeEach scope with the test' {
            $fromBeforeEach | Should -Be 'visible'
        }
    }

    It 'runs after the Context and its AfterAll' {
        $log | Should -Contain 'inner AfterAll'
    }
}

Describe 'TestDrive' {
    BeforeAll {
        $file = [System.IO.Path]::Combine($TestDrive, 'data.txt')
        [System.IO.File]::WriteAllText($file, 'hello')
    }

    It 'is an existing folder' {
        $TestDrive | Should -Exist
    }

    It 'keeps the files the block made' {
        $file | Should -Exist
        [System.IO.File]::ReadAllText($file) | Should -Be 'hello'
        [System.IO.Path]::Combine($TestDrive, 'missing.txt') | Should -Not -Exist
    }
}

Describe 'Skipping' {
    It 'is skipped with -Skip' -Skip {
        throw 'a skipped test must not run'
    }

    Context 'skipped Context' -Skip {
        BeforeAll { throw 'the BeforeAll of a skipped block must not run' }

        It 'is skipped with its block' {
            throw 'a skipped test must not run'
        }
    }
}
