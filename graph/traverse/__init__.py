"""traverse"""
