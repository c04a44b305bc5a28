# Sourced by the bin/ commands that build their module before running it. A build is needed when
# the stamp (the module's target/classpath.txt, written by every build) is missing or older than
# any source, POM or resource of the project: a `git pull` gives the files it changed a new
# modification time, so a command is never run on the build of an older checkout.
needs_build() {
  local stamp=$1
  [ -f "$stamp" ] || return 0
  [ -n "$(find pom.xml shared functions tools infra \
      \( -name target -o -name node_modules -o -name dist \) -prune -o \
      -type f -newer "$stamp" \
      \( -name '*.java' -o -name pom.xml -o -name '*.properties' -o -name '*.json' \
         -o -name '*.yaml' -o -name '*.yml' -o -name '*.xml' -o -name '*.imports' \
         -o -name '*.ts' -o -name '*.tsx' -o -name '*.css' -o -name '*.html' \) \
      -print -quit 2>/dev/null)" ]
}
