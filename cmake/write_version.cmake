# Writes version.h with the commit the build is made from. Run at every build
# (target snapsim_version), not only at configure time, so results never name
# a commit other than the one they were built from. configure_file leaves the
# header untouched when nothing changed, so an unchanged commit rebuilds nothing.
# Inputs: -DSOURCE_DIR= -DINPUT= -DOUTPUT= -DPROJECT_VERSION=
# --no-optional-locks: never take .git/index.lock while refreshing the index.
execute_process(COMMAND git --no-optional-locks describe --always --dirty --abbrev=12
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE SNAPSIM_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET)
if(NOT SNAPSIM_GIT_COMMIT)
  set(SNAPSIM_GIT_COMMIT "unknown")
endif()
configure_file(${INPUT} ${OUTPUT} @ONLY)
