# Shared settings for the scripts: safe local defaults, overridden by the environment.
# Sourced, not executed.

# TensorFlow is imported by Rasa even though this project's model does not use it:
# keep it quiet and single-threaded so it does not compete with request handling.
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-3}"
export TF_INTER_OP_PARALLELISM_THREADS="${TF_INTER_OP_PARALLELISM_THREADS:-1}"
export TF_INTRA_OP_PARALLELISM_THREADS="${TF_INTRA_OP_PARALLELISM_THREADS:-1}"
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export RASA_TELEMETRY_ENABLED=false

